package io.img2rec.serve.face;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.RgbImage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The photographs the default {@link BoxCalibration} was measured on, and the variants made from them (rescaled,
 * mirrored, padded) so that the Haar → dlib mapping is seen at several face sizes and pixel phases. Both photographs
 * are public-domain works of the US government, copied from Debian packages (see {@code calibration/SOURCES.md}
 * beside the files). The variants are made here, in pure Java, so that the dlib boxes recorded for them
 * ({@code calibration/dlib-boxes.tsv}) and the Haar boxes found in a test are boxes of the very same pixels.
 */
public final class CalibrationPhotos {
    /** Class-path folder of the photographs, the recorded dlib boxes and their sources. */
    public static final String RESOURCE_DIR = "/io/img2rec/serve/face/calibration/";
    public static final List<String> PHOTOS = List.of("astronaut.jpg", "grace_hopper.jpg");
    public static final List<Double> SCALES = List.of(0.5, 0.6, 0.75, 1.0, 1.25, 1.5, 2.0);
    /** Mid-grey padding {left, top}; the same numbers go on the bottom and the right (left → bottom, top → right).*/
    public static final List<int[]> PADS = List.of(new int[] {0, 0}, new int[] {13, 29});

    /**
     * One variant of a photograph.
     *
     * @param name    file-name-safe key, also used in dlib-boxes.tsv ({@code astronaut_s0.75_m_p13x29.png})
     * @param photo   source photograph's file name
     * @param scale   resampling factor
     * @param mirror  flipped left to right (after scaling)
     * @param padLeft grey columns added on the left, and as many rows at the bottom
     * @param padTop  grey rows added on the top, and as many columns on the right
     */
    public record Variant(String name, String photo, double scale, boolean mirror, int padLeft, int padTop) {
    }

    private CalibrationPhotos() {
    }

    /** Whether the photographs are on the class path (they are committed; a trimmed checkout may lack them). */
    public static boolean available() {
        return PHOTOS.stream().allMatch(p -> CalibrationPhotos.class.getResource(RESOURCE_DIR + p) != null);
    }

    public static RgbImage load(String photo) throws IOException, ImageDecodeException {
        try (InputStream in = CalibrationPhotos.class.getResourceAsStream(RESOURCE_DIR + photo)) {
            if (in == null) {
                throw new IOException("calibration photo " + RESOURCE_DIR + photo + " is not on the class path");
            }
            return ImageDecoder.decode(in.readAllBytes(), photo);
        }
    }

    /** Every variant: each photograph × {@link #SCALES} × (as is, mirrored) × {@link #PADS}. */
    public static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (String photo : PHOTOS) {
            String stem = photo.substring(0, photo.lastIndexOf('.'));
            for (double scale : SCALES) {
                for (boolean mirror : new boolean[] {false, true}) {
                    for (int[] pad : PADS) {
                        String name = String.format(Locale.ROOT, "%s_s%.2f%s_p%dx%d.png", stem, scale,
                                mirror ? "_m" : "", pad[0], pad[1]);
                        out.add(new Variant(name, photo, scale, mirror, pad[0], pad[1]));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Makes a variant's pixels from its (already loaded) source photograph. */
    public static RgbImage render(Variant variant, RgbImage source) {
        int width = Math.max(1, (int) Math.round(source.width() * variant.scale()));
        int height = Math.max(1, (int) Math.round(source.height() * variant.scale()));
        RgbImage image = resample(source, width, height);
        if (variant.mirror()) {
            image = mirror(image);
        }
        return pad(image, variant.padLeft(), variant.padTop(), variant.padTop(), variant.padLeft());
    }

    /**
     * Separable resampling with a triangle (tent) kernel whose support widens with the reduction factor, so that
     * downscaling averages instead of aliasing; pixel centres at {@code i + 0.5}; edges clamped.
     */
    static RgbImage resample(RgbImage image, int width, int height) {
        float[] rows = new float[image.height() * width * 3];
        filterAxis(toFloats(image), image.width(), image.height(), width, rows, true);
        float[] out = new float[width * height * 3];
        filterAxis(rows, width, image.height(), height, out, false);
        byte[] bytes = new byte[out.length];
        for (int i = 0; i < out.length; i++) {
            bytes[i] = (byte) Math.max(0, Math.min(255, Math.round(out[i])));
        }
        return new RgbImage(width, height, bytes);
    }

    private static float[] toFloats(RgbImage image) {
        byte[] pixels = image.pixels();
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xFF;
        }
        return values;
    }

    /** Resamples along x ({@code horizontal}) or y from {@code src} ({@code srcW × srcH}) into {@code dst}. */
    private static void filterAxis(float[] src, int srcW, int srcH, int dstSize, float[] dst, boolean horizontal) {
        int srcSize = horizontal ? srcW : srcH;
        double ratio = (double) srcSize / dstSize;
        double support = Math.max(1.0, ratio);
        int dstW = horizontal ? dstSize : srcW;
        for (int d = 0; d < dstSize; d++) {
            double centre = (d + 0.5) * ratio - 0.5;
            int from = (int) Math.floor(centre - support);
            int to = (int) Math.ceil(centre + support);
            double[] weights = new double[to - from + 1];
            double sum = 0;
            for (int s = from; s <= to; s++) {
                double w = Math.max(0, 1 - Math.abs(s - centre) / support);
                weights[s - from] = w;
                sum += w;
            }
            int lines = horizontal ? srcH : srcW;
            for (int line = 0; line < lines; line++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int s = from; s <= to; s++) {
                        int k = Math.max(0, Math.min(srcSize - 1, s));
                        int index = horizontal ? (line * srcW + k) * 3 + c : (k * srcW + line) * 3 + c;
                        acc += weights[s - from] * src[index];
                    }
                    int out = horizontal ? (line * dstW + d) * 3 + c : (d * dstW + line) * 3 + c;
                    dst[out] = (float) (acc / sum);
                }
            }
        }
    }

    static RgbImage mirror(RgbImage image) {
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        int w = image.width();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(w, image.height(), out);
    }

    static RgbImage pad(RgbImage image, int left, int top, int right, int bottom) {
        if (left == 0 && top == 0 && right == 0 && bottom == 0) {
            return image;
        }
        int w = image.width() + left + right;
        int h = image.height() + top + bottom;
        byte[] out = new byte[w * h * 3];
        java.util.Arrays.fill(out, (byte) 128);
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(image.pixels(), y * image.width() * 3, out, ((y + top) * w + left) * 3,
                    image.width() * 3);
        }
        return new RgbImage(w, h, out);
    }
}
