package io.img2rec.core.image;

/**
 * Resizes {@link RgbImage}s to a network's input size in pure Java, so the pixels do not depend on a
 * native library's conventions. Nearest neighbour follows PIL's arithmetic exactly (and so Keras
 * {@code load_img}, which calls {@code Image.resize(size, NEAREST)}): PIL steps through the source in double
 * precision, starting at half a step and adding the step {@code src / dst} once per target pixel, and truncates
 * ({@link #nearestIndexMap}). That differs from the closed form {@code floor((i + 0.5) · src / dst)} in up to 26 of
 * 150 or 224 positions for common sizes, where the accumulated sum lands just below an integer. Bilinear uses
 * half-pixel centres (OpenCV's and PIL's convention for upscaling), clamped at the borders.
 */
public final class ImageResizer {
    private ImageResizer() {
    }

    public static RgbImage resize(RgbImage image, int width, int height, ResizeInterpolation interpolation) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (image.width() == width && image.height() == height) {
            return image;
        }
        return switch (interpolation) {
            case NEAREST -> nearest(image, width, height);
            case BILINEAR -> bilinear(image, width, height);
        };
    }

    /**
     * The source index of every target index in PIL's nearest resize (Pillow's {@code ImagingScaleAffine}: position
     * {@code 0.5 · step}, then {@code += step} per target pixel, truncated; {@code step = (double) src / dst}).
     */
    public static int[] nearestIndexMap(int sourceSize, int targetSize) {
        if (sourceSize <= 0 || targetSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + sourceSize + " -> " + targetSize);
        }
        double step = (double) sourceSize / targetSize;
        double position = step * 0.5;
        int[] map = new int[targetSize];
        for (int i = 0; i < targetSize; i++) {
            map[i] = Math.min((int) position, sourceSize - 1);
            position += step;
        }
        return map;
    }

    private static RgbImage nearest(RgbImage image, int width, int height) {
        int[] xs = nearestIndexMap(image.width(), width);
        int[] ys = nearestIndexMap(image.height(), height);
        byte[] src = image.pixels();
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int sy = ys[y];
            int rowBase = sy * image.width();
            for (int x = 0; x < width; x++) {
                System.arraycopy(src, (rowBase + xs[x]) * 3, out, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static RgbImage bilinear(RgbImage image, int width, int height) {
        byte[] src = image.pixels();
        byte[] out = new byte[width * height * 3];
        double sx = (double) image.width() / width;
        double sy = (double) image.height() / height;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, Math.min(image.height() - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, image.height() - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, Math.min(image.width() - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, image.width() - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = (src[(y0 * image.width() + x0) * 3 + c] & 0xFF) * (1 - wx)
                            + (src[(y0 * image.width() + x1) * 3 + c] & 0xFF) * wx;
                    double bottom = (src[(y1 * image.width() + x0) * 3 + c] & 0xFF) * (1 - wx)
                            + (src[(y1 * image.width() + x1) * 3 + c] & 0xFF) * wx;
                    out[(y * width + x) * 3 + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new RgbImage(width, height, out);
    }
}
