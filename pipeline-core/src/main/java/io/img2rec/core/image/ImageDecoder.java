package io.img2rec.core.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Decodes image files to {@link RgbImage}: OpenCV first (JPEG/PNG/BMP/TIFF/WebP, EXIF orientation applied,
 * grey and CMYK converted, 16-bit reduced to 8, alpha dropped like PIL's {@code convert('RGB')}), then
 * javax.imageio for what OpenCV cannot read (GIF). The caller checks the pixel count from the header first
 * (see the manifest's header probe) against its configured limit; as a last line of defence this class also reads the
 * header itself and refuses, without decoding, any image over {@link #MAX_PIXELS} (a file may change after it was
 * scanned, and a 100 KB PNG can claim 30000×30000).
 */
public final class ImageDecoder {
    /** Width × height above which nothing is decoded, whatever the caller's own limit (about 750 MB as RGB). */
    public static final long MAX_PIXELS = 250_000_000L;

    private ImageDecoder() {
    }

    public static RgbImage decode(Path file) throws ImageDecodeException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageDecodeException(file + ": cannot be read (" + e + ")", e);
        }
        return decode(bytes, file.toString());
    }

    /** Decodes bytes; {@code name} appears in error messages. */
    public static RgbImage decode(byte[] bytes, String name) throws ImageDecodeException {
        if (bytes.length == 0) {
            throw new ImageDecodeException(name + ": the file is empty");
        }
        long[] size = headerSize(bytes);
        if (size != null && size[0] * size[1] > MAX_PIXELS) {
            throw new ImageDecodeException(name + ": header claims " + size[0] + "x" + size[1] + " = " + size[0] * size[1]
                    + " pixels, over the decoder's ceiling of " + MAX_PIXELS + "; refused without decoding");
        }
        RgbImage decoded = decodeWithOpenCv(bytes);
        if (decoded == null) {
            decoded = decodeWithImageIo(bytes);
        }
        if (decoded == null) {
            throw new ImageDecodeException(name + ": not a decodable image (corrupt, truncated, or an unsupported format)");
        }
        return decoded;
    }

    /** Width and height from the header alone (javax.imageio, no pixels read), or null when no reader knows it. */
    private static long[] headerSize(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new long[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // an unreadable header is the decoders' problem to report
        }
    }

    private static RgbImage decodeWithOpenCv(byte[] bytes) {
        try (var data = new BytePointer(bytes);
             var buffer = new Mat(1, bytes.length, CV_8UC1, data);
             Mat bgr = imdecode(buffer, IMREAD_COLOR)) {
            if (bgr == null || bgr.empty() || bgr.channels() != 3) {
                return null;
            }
            int width = bgr.cols();
            int height = bgr.rows();
            byte[] pixels = new byte[width * height * 3];
            Mat continuous = bgr.isContinuous() ? bgr : bgr.clone();
            continuous.data().get(pixels);
            for (int i = 0; i < pixels.length; i += 3) { // BGR → RGB
                byte b = pixels[i];
                pixels[i] = pixels[i + 2];
                pixels[i + 2] = b;
            }
            return new RgbImage(width, height, pixels);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static RgbImage decodeWithImageIo(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            return image == null ? null : fromBufferedImage(image);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Copies a BufferedImage's colours (alpha dropped) into an RgbImage. */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] pixels = new byte[width * height * 3];
        for (int i = 0; i < argb.length; i++) {
            pixels[3 * i] = (byte) (argb[i] >> 16);
            pixels[3 * i + 1] = (byte) (argb[i] >> 8);
            pixels[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(width, height, pixels);
    }

    /** The reverse of {@link #fromBufferedImage}, for writing thumbnails and test fixtures. */
    public static BufferedImage toBufferedImage(RgbImage image) {
        var out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        byte[] p = image.pixels();
        int[] rgb = new int[image.width() * image.height()];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (p[3 * i] & 0xFF) << 16 | (p[3 * i + 1] & 0xFF) << 8 | (p[3 * i + 2] & 0xFF);
        }
        out.setRGB(0, 0, image.width(), image.height(), rgb, 0, image.width());
        return out;
    }
}
