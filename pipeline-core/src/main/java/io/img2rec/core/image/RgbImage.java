package io.img2rec.core.image;

/**
 * A decoded 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B.
 * The array is owned by the record; callers must not modify it after construction.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels == null || pixels.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + (width * height * 3) + " bytes for " + width + "x" + height
                    + " RGB, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** Channel value 0–255 at (x, y); channel 0 = R, 1 = G, 2 = B. */
    public int value(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** A sub-rectangle, clamped to the image. */
    public RgbImage crop(int left, int top, int cropWidth, int cropHeight) {
        int x0 = Math.max(0, left);
        int y0 = Math.max(0, top);
        int x1 = Math.min(width, left + cropWidth);
        int y1 = Math.min(height, top + cropHeight);
        if (x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("crop " + left + "," + top + " " + cropWidth + "x" + cropHeight
                    + " lies outside the " + width + "x" + height + " image");
        }
        int w = x1 - x0;
        byte[] out = new byte[w * (y1 - y0) * 3];
        for (int y = y0; y < y1; y++) {
            System.arraycopy(pixels, (y * width + x0) * 3, out, (y - y0) * w * 3, w * 3);
        }
        return new RgbImage(w, y1 - y0, out);
    }
}
