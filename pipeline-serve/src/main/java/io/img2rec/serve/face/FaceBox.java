package io.img2rec.serve.face;

/**
 * A face box in the order face_recognition (dlib) reports it: {@code top, right, bottom, left}, pixels, with
 * {@code right} and {@code bottom} exclusive. Height is {@code bottom − top}, width {@code right − left}.
 */
public record FaceBox(int top, int right, int bottom, int left) {
    public FaceBox {
        if (bottom <= top || right <= left) {
            throw new IllegalArgumentException("empty face box top=" + top + " right=" + right + " bottom=" + bottom
                    + " left=" + left);
        }
    }

    /** A box from an OpenCV-style rectangle (x, y, width, height). */
    public static FaceBox ofRect(int x, int y, int width, int height) {
        return new FaceBox(y, x + width, y + height, x);
    }

    public int height() {
        return bottom - top;
    }

    public int width() {
        return right - left;
    }
}
