package io.img2rec.serve.face;

import java.util.Optional;

/**
 * The original project's crop around a face box, so that a hat above and a beard below stay inside.
 *
 * <p>With {@code h = bottom − top} and {@code w = right − left}, in the original's own floating-point arithmetic
 * (Python floats are IEEE doubles, and Java's {@code (int)} truncates toward zero as Python's {@code int()} does):
 * <ul>
 *   <li>rows from {@code top − int(1.25·h/2)} to {@code bottom + int(1.25·h/2·0.4)} (end exclusive, as a Python
 *       slice); for whole h these equal ⌊0.625·h⌋ and ⌊0.25·h⌋;</li>
 *   <li>columns from {@code left − m} to {@code right + m} with {@code m = int((2.5·h·0.7 − w)/2)}: {@code 2.5·h·0.7}
 *       lands just below 1.75·h for some heights (72, 136, 144, 264, …), so m is one less there than
 *       ⌊(1.75·h − w)/2⌋ would give; for a box wider than 1.75·h the margin is negative (truncated toward zero) and
 *       the crop is narrower than the box, as in the original;</li>
 *   <li>both clamped to the image.</li>
 * </ul>
 *
 * <p>Size filter (fixes one of the original's slips): the original skipped a face when its <em>clamped</em> crop had
 * a side ≤ 150 px, so the same face was kept in the middle of a photo and dropped near its edge. Here the filter is a
 * property of the face box alone: the face is skipped when the <em>unclamped</em> expanded rectangle, computed from
 * the box by the formulas above, has a side ≤ {@code minSide}. The threshold keeps the original's scale (150 px of
 * crop ≈ a face box 80 px tall); {@code minSide = 0} keeps every face.
 */
public final class FaceCrop {
    /** The original's threshold: crops with a side of 150 px or less were skipped. */
    public static final int DEFAULT_MIN_SIDE = 150;

    private FaceCrop() {
    }

    /** The unclamped expanded rectangle of a face box (may extend past the image). */
    public static CropBox unclamped(FaceBox box) {
        int h = box.height();
        int w = box.width();
        double yIncrease = 1.25 * h / 2;
        int above = (int) yIncrease;
        int below = (int) (yIncrease * 0.4);
        int side = (int) ((2.5 * h * 0.7 - w) / 2);
        int top = box.top() - above;
        int bottom = box.bottom() + below;
        int left = box.left() - side;
        int right = box.right() + side;
        if (right <= left) { // a box more than 3.5x wider than tall: keep at least the box's centre column
            int centre = (box.left() + box.right()) / 2;
            left = centre;
            right = centre + 1;
        }
        return new CropBox(left, top, right - left, bottom - top);
    }

    /**
     * The crop for a face, clamped to the image, or empty when the face is too small (see the class comment) or
     * the crop falls outside the image.
     */
    public static Optional<CropBox> expand(FaceBox box, int imageWidth, int imageHeight, int minSide) {
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
        if (minSide < 0) {
            throw new IllegalArgumentException("minSide must be >= 0, got " + minSide);
        }
        CropBox raw = unclamped(box);
        if (raw.width() <= minSide || raw.height() <= minSide) {
            return Optional.empty();
        }
        int left = Math.max(0, raw.left());
        int top = Math.max(0, raw.top());
        int right = Math.min(imageWidth, raw.left() + raw.width());
        int bottom = Math.min(imageHeight, raw.top() + raw.height());
        if (right <= left || bottom <= top) {
            return Optional.empty();
        }
        return Optional.of(new CropBox(left, top, right - left, bottom - top));
    }
}
