package io.img2rec.train.augment;

import io.img2rec.core.config.AugmentConfig;
import io.img2rec.core.image.RgbImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.SplittableRandom;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Random augmentation with the semantics of Keras {@code ImageDataGenerator.random_transform}
 * (keras-preprocessing 1.1, the version behind the original Keras 2.2 project).
 *
 * <h2>Where it sits</h2>
 * Augment the image <em>at the network's input size</em>: the caller resizes first, as Keras's
 * {@code flow_from_directory} loads each file at {@code target_size} and then transforms it. Shift ranges are
 * therefore fractions of the input size, and the border replication happens at that resolution.
 *
 * <h2>Draws</h2>
 * {@link #draw} takes, in this fixed order, one value each from the caller's {@link SplittableRandom}:
 * rotation, row shift, column shift, shear, row zoom, column zoom, flip, brightness — eight
 * {@code nextDouble()} calls whatever the configuration, so switching one component off does not change the
 * values drawn for the others. (Keras's order is the same; it skips the draws of disabled components, and its
 * numbers come from NumPy's generator, so the streams are not comparable anyway.)
 * <ul>
 *   <li>rotation θ ~ U[−rotation, +rotation] degrees;</li>
 *   <li>row shift {@code tx} ~ U[−height_shift, +height_shift] · height and column shift {@code ty} ~
 *       U[−width_shift, +width_shift] · width, in pixels (Keras calls the row shift {@code tx});</li>
 *   <li>shear ~ U[−shear, +shear] <em>degrees</em>;</li>
 *   <li>{@code zx}, {@code zy} ~ U[zoomMin, zoomMax] independently; {@code zx} scales rows, {@code zy} columns;</li>
 *   <li>horizontal flip with probability ½ when enabled (never a vertical flip);</li>
 *   <li>brightness factor ~ U[brightnessMin, brightnessMax]; a range of exactly [1, 1] means no brightness step.</li>
 * </ul>
 *
 * <h2>Geometry</h2>
 * In (row, col) coordinates with pixel centres at integers, Keras builds
 * {@code T = rotation · shift · shear · zoom}, where
 * <pre>
 *   rotation = [[cos θ, −sin θ, 0], [sin θ, cos θ, 0], [0, 0, 1]]
 *   shift    = [[1, 0, tx], [0, 1, ty], [0, 0, 1]]
 *   shear    = [[1, −sin s, 0], [0, cos s, 0], [0, 0, 1]]
 *   zoom     = [[zx, 0, 0], [0, zy, 0], [0, 0, 1]]
 * </pre>
 * re-centres it with {@code transform_matrix_offset_center}: {@code T' = offset(o) · T · offset(−o)} with
 * {@code o = (h/2 + 0.5, w/2 + 0.5)} (not the geometric centre ((h−1)/2, (w−1)/2): keras-preprocessing 1.1 sits
 * one pixel down and right of it; later releases changed it to h/2 − 0.5), and hands {@code T'} to
 * {@code scipy.ndimage.affine_transform}, which reads it as the <em>output → input</em> map:
 * {@code out[p] = in[T'·p]}, bilinear ({@code order=1}), {@code mode='nearest'} (edge pixels replicated).
 * Here the same map is swapped to OpenCV's (x = col, y = row) order and given to {@code warpAffine} with
 * {@code WARP_INVERSE_MAP | INTER_LINEAR} and {@code BORDER_REPLICATE}. OpenCV's bilinear weights are quantised
 * to 1/32 pixel and the result is rounded to 8 bits, so values may differ from SciPy's float output by a level.
 *
 * <h2>After the warp</h2>
 * As in {@code apply_transform}: the horizontal flip, then brightness. Keras's brightness goes through
 * {@code array_to_img(x)} with its default {@code scale=True}, which stretches the image so that its maximum
 * becomes 255 (values truncated to 8 bits), then PIL's {@code ImageEnhance.Brightness}: {@code out = in · factor},
 * clipped to 0–255 and truncated. Both steps are reproduced here; for an image whose brightest value is already
 * 255 the stretch changes nothing.
 *
 * <p>Immutable and thread-safe: the only state is the configuration; each call scopes its native matrices.
 */
public final class KerasAugmenter {
    private final AugmentConfig config;

    public KerasAugmenter(AugmentConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("augment config must not be null");
        }
        this.config = config;
    }

    public AugmentConfig config() {
        return config;
    }

    /** Draws one set of parameters from {@code random} and applies it; the input is returned as-is when disabled. */
    public RgbImage augment(RgbImage image, SplittableRandom random) {
        if (!config.enabled()) {
            return image;
        }
        return apply(image, draw(config, image.height(), image.width(), random));
    }

    /** {@link #augment(RgbImage, SplittableRandom)} with a generator seeded by {@code seed}: deterministic. */
    public RgbImage augment(RgbImage image, long seed) {
        return augment(image, new SplittableRandom(seed));
    }

    /**
     * Draws one augmentation for an image of {@code height} × {@code width} pixels, in the order given in the
     * class comment. A disabled config gives {@link AugmentParams#identity()} without drawing.
     */
    public static AugmentParams draw(AugmentConfig config, int height, int width, SplittableRandom random) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (!config.enabled()) {
            return AugmentParams.identity();
        }
        double rotation = symmetric(random, config.rotationDegrees());
        double rowShift = symmetric(random, config.heightShift()) * height;
        double colShift = symmetric(random, config.widthShift()) * width;
        double shear = symmetric(random, config.shearDegrees());
        double zoomRow = uniform(random, config.zoomMin(), config.zoomMax());
        double zoomCol = uniform(random, config.zoomMin(), config.zoomMax());
        boolean flip = random.nextDouble() < 0.5 && config.horizontalFlip();
        double brightnessDraw = uniform(random, config.brightnessMin(), config.brightnessMax());
        boolean brightnessOff = config.brightnessMin() == 1.0 && config.brightnessMax() == 1.0;
        return new AugmentParams(rotation, rowShift, colShift, shear, zoomRow, zoomCol, flip,
                brightnessOff ? 1.0 : brightnessDraw);
    }

    /** Applies {@code params}: the affine warp, then the horizontal flip, then brightness (Keras's order). */
    public static RgbImage apply(RgbImage image, AugmentParams params) {
        RgbImage out = image;
        if (!params.geometricIdentity()) {
            out = warp(out, openCvInverseMap(params, image.height(), image.width()));
        }
        if (params.flip()) {
            out = flipColumns(out);
        }
        if (params.brightness() != 1.0) {
            out = brightness(out, params.brightness());
        }
        return out;
    }

    /**
     * Keras's centred output → input matrix in (row, col) coordinates, 3 × 3:
     * {@code offset(o) · rotation · shift · shear · zoom · offset(−o)}, o = (h/2 + 0.5, w/2 + 0.5).
     */
    static double[][] kerasInverseMap(AugmentParams p, int height, int width) {
        double theta = Math.toRadians(p.rotationDeg());
        double shear = Math.toRadians(p.shearDeg());
        double[][] rotation = {{Math.cos(theta), -Math.sin(theta), 0}, {Math.sin(theta), Math.cos(theta), 0}, {0, 0, 1}};
        double[][] shift = {{1, 0, p.rowShiftPx()}, {0, 1, p.colShiftPx()}, {0, 0, 1}};
        double[][] shearing = {{1, -Math.sin(shear), 0}, {0, Math.cos(shear), 0}, {0, 0, 1}};
        double[][] zoom = {{p.zoomRow(), 0, 0}, {0, p.zoomCol(), 0}, {0, 0, 1}};
        double[][] t = multiply(multiply(multiply(rotation, shift), shearing), zoom);
        double oRow = height / 2.0 + 0.5;
        double oCol = width / 2.0 + 0.5;
        double[][] offset = {{1, 0, oRow}, {0, 1, oCol}, {0, 0, 1}};
        double[][] reset = {{1, 0, -oRow}, {0, 1, -oCol}, {0, 0, 1}};
        return multiply(multiply(offset, t), reset);
    }

    /**
     * The same map in OpenCV's (x = col, y = row) order, 2 × 3 row-major, for {@code WARP_INVERSE_MAP}:
     * x_in = T[1][1]·x + T[1][0]·y + T[1][2], y_in = T[0][1]·x + T[0][0]·y + T[0][2].
     */
    static double[] openCvInverseMap(AugmentParams p, int height, int width) {
        double[][] t = kerasInverseMap(p, height, width);
        return new double[] {t[1][1], t[1][0], t[1][2], t[0][1], t[0][0], t[0][2]};
    }

    /** Warps with a 2 × 3 output → input map in (x, y) order: bilinear, edge pixels replicated. */
    static RgbImage warp(RgbImage image, double[] inverseMap) {
        if (inverseMap.length != 6) {
            throw new IllegalArgumentException("an affine map has 6 entries, got " + inverseMap.length);
        }
        int w = image.width();
        int h = image.height();
        byte[] result = new byte[w * h * 3];
        try (var srcData = new BytePointer(image.pixels());
             var src = new Mat(h, w, CV_8UC3, srcData);
             var mapData = new DoublePointer(inverseMap);
             var map = new Mat(2, 3, CV_64F, mapData);
             var dst = new Mat();
             var size = new Size(w, h);
             var border = new Scalar(0.0)) {
            warpAffine(src, dst, map, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_REPLICATE, border);
            if (dst.rows() != h || dst.cols() != w || dst.type() != CV_8UC3 || !dst.isContinuous()) {
                throw new IllegalStateException("warpAffine returned " + dst.cols() + "x" + dst.rows()
                        + " type " + dst.type() + " for a " + w + "x" + h + " RGB image");
            }
            dst.data().get(result);
        }
        return new RgbImage(w, h, result);
    }

    /** Mirrors the columns (Keras {@code flip_axis(x, col_axis)}); rows stay where they are. */
    static RgbImage flipColumns(RgbImage image) {
        int w = image.width();
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < image.height(); y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (row + x) * 3, out, (row + w - 1 - x) * 3, 3);
            }
        }
        return new RgbImage(w, image.height(), out);
    }

    /**
     * Keras's brightness step: stretch so the maximum is 255 ({@code array_to_img}, truncated to 8 bits), then
     * multiply by {@code factor}, clip to 0–255 and truncate (PIL {@code ImageEnhance.Brightness}).
     */
    static RgbImage brightness(RgbImage image, double factor) {
        byte[] src = image.pixels();
        int max = 0;
        for (byte b : src) {
            max = Math.max(max, b & 0xFF);
        }
        byte[] out = new byte[src.length];
        if (max > 0) {
            for (int i = 0; i < src.length; i++) {
                int stretched = (int) ((src[i] & 0xFF) / (double) max * 255.0); // Keras: x /= x_max; x *= 255
                double value = stretched * factor;
                out[i] = (byte) (value >= 255 ? 255 : (int) value);
            }
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
        }
        return c;
    }

    private static double symmetric(SplittableRandom random, double range) {
        return uniform(random, -range, range);
    }

    /** U[lo, hi) from one {@code nextDouble()}; also fine when lo == hi (SplittableRandom's own bound check is not). */
    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
