package io.img2rec.core.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Tiny generated images and broken files for tests, shared with other modules through pipeline-core's test-jar.
 * Every writer creates missing parent folders and returns the path it wrote. Output is deterministic: the same
 * arguments give the same bytes (so two calls with the same colour and size make copies with equal SHA-256).
 */
public final class TestImages {

    private TestImages() {
    }

    /** A solid-colour RGB image. */
    public static BufferedImage solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int rgb = color.getRGB();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** A seeded random-noise RGB image (compresses badly, so truncating its file cuts into pixel data). */
    public static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    /** Encodes an image ("png", "jpeg", "bmp", "gif"). */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no javax.imageio writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path writePng(Path file, int width, int height, Color color) throws IOException {
        return write(file, encode(solid(width, height, color), "png"));
    }

    public static Path writeJpeg(Path file, int width, int height, Color color) throws IOException {
        return write(file, encode(solid(width, height, color), "jpeg"));
    }

    public static Path writeBmp(Path file, int width, int height, Color color) throws IOException {
        return write(file, encode(solid(width, height, color), "bmp"));
    }

    public static Path writeGif(Path file, int width, int height, Color color) throws IOException {
        return write(file, encode(solid(width, height, color), "gif"));
    }

    /** A JPEG whose stored pixels are {@code width × height}, carrying an EXIF orientation tag (1–8). */
    public static Path writeJpegWithExifOrientation(Path file, int width, int height, Color color, int orientation,
                                                    ByteOrder order) throws IOException {
        return write(file, jpegWithExifOrientation(encode(solid(width, height, color), "jpeg"), orientation, order));
    }

    /** Inserts an APP1 Exif segment with IFD0 holding only the orientation tag right after the SOI marker. */
    public static byte[] jpegWithExifOrientation(byte[] jpeg, int orientation, ByteOrder order) {
        byte[] app1 = exifApp1Segment(orientation, order);
        byte[] out = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1, 0, out, 2, app1.length);
        System.arraycopy(jpeg, 2, out, 2 + app1.length, jpeg.length - 2);
        return out;
    }

    /** An APP1 segment (marker included): "Exif\0\0", a TIFF header in {@code order}, IFD0 with one SHORT 0x0112 entry. */
    public static byte[] exifApp1Segment(int orientation, ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        tiff.putShort((short) 42);
        tiff.putInt(8);                    // IFD0 right after the header
        tiff.putShort((short) 1);          // one entry
        tiff.putShort((short) 0x0112);     // orientation
        tiff.putShort((short) 3);          // SHORT
        tiff.putInt(1);                    // count
        tiff.putShort((short) orientation); // value, left-justified
        tiff.putShort((short) 0);
        tiff.putInt(0);                    // no next IFD
        byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + exifHeader.length + tiff.capacity();
        ByteBuffer segment = ByteBuffer.allocate(2 + length).order(ByteOrder.BIG_ENDIAN);
        segment.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exifHeader).put(tiff.array());
        return segment.array();
    }

    /** A noisy JPEG cut to {@code keepFraction} of its bytes (e.g. 0.5): the scan data ends early. */
    public static Path writeTruncatedJpeg(Path file, int width, int height, double keepFraction) throws IOException {
        byte[] full = encode(noise(width, height, 7), "jpeg");
        return write(file, Arrays.copyOf(full, (int) (full.length * keepFraction)));
    }

    /** A valid PNG except that the CRC of its first IDAT chunk is wrong. */
    public static Path writePngWithBadCrc(Path file, int width, int height) throws IOException {
        byte[] png = encode(noise(width, height, 11), "png");
        int offset = 8;
        while (offset + 8 <= png.length) {
            int length = ByteBuffer.wrap(png, offset, 4).getInt();
            String type = new String(png, offset + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("IDAT")) {
                int crcAt = offset + 8 + length;
                png[crcAt] ^= (byte) 0xFF;
                return write(file, png);
            }
            offset += 12 + length;
        }
        throw new IllegalStateException("encoder wrote no IDAT chunk");
    }

    /**
     * A small PNG whose IHDR claims {@code width × height} (e.g. 30000 × 30000) with a valid CRC, followed by IEND
     * and no pixel data: decoding it would try to allocate the full image.
     */
    public static Path writePngHeaderClaiming(Path file, int width, int height) throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        out.write(chunk("IHDR", ihdr.array()));
        out.write(chunk("IEND", new byte[0]));
        return write(file, out.toByteArray());
    }

    /** One PNG chunk: length, type, data, CRC over type and data. */
    public static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    public static Path writeEmpty(Path file) throws IOException {
        return write(file, new byte[0]);
    }

    /** An HTML page, whatever the file is named (e.g. {@code photo.jpg}). */
    public static Path writeHtml(Path file) throws IOException {
        return write(file, "<!DOCTYPE html>\n<html><body>Not an image</body></html>\n".getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return Files.write(file, bytes);
    }
}
