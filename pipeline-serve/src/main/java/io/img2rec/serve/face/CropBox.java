package io.img2rec.serve.face;

/** A rectangle of an image to cut out: {@code left, top} inclusive, {@code width × height} pixels. */
public record CropBox(int left, int top, int width, int height) {
    public CropBox {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty crop " + width + "x" + height + " at " + left + "," + top);
        }
    }

    /** The whole image, used when an image is classified without face detection. */
    public static CropBox whole(int imageWidth, int imageHeight) {
        return new CropBox(0, 0, imageWidth, imageHeight);
    }
}
