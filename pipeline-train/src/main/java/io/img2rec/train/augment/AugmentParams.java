package io.img2rec.train.augment;

/**
 * One concrete augmentation, in Keras {@code ImageDataGenerator} terms (keras-preprocessing 1.1,
 * {@code get_random_transform}); {@link KerasAugmenter#apply} turns it into pixels.
 *
 * @param rotationDeg rotation angle in degrees (Keras {@code theta})
 * @param rowShiftPx  shift along rows, in pixels (Keras {@code tx}, drawn from {@code height_shift_range} · height;
 *                    despite its name {@code tx} is the row offset). Positive values move the content up.
 * @param colShiftPx  shift along columns, in pixels (Keras {@code ty}, drawn from {@code width_shift_range} · width).
 *                    Positive values move the content left.
 * @param shearDeg    shear angle in degrees (Keras {@code shear}, converted with {@code np.deg2rad})
 * @param zoomRow     zoom factor applied to row coordinates (Keras {@code zx}); above 1 zooms out
 * @param zoomCol     zoom factor applied to column coordinates (Keras {@code zy}); above 1 zooms out
 * @param flip        mirror the columns (Keras {@code flip_horizontal}), after the warp
 * @param brightness  brightness factor (PIL {@code ImageEnhance.Brightness}), applied last; exactly 1 means
 *                    no brightness step at all (Keras {@code brightness_range=None})
 */
public record AugmentParams(double rotationDeg, double rowShiftPx, double colShiftPx, double shearDeg,
                            double zoomRow, double zoomCol, boolean flip, double brightness) {
    public AugmentParams {
        requireFinite("rotationDeg", rotationDeg);
        requireFinite("rowShiftPx", rowShiftPx);
        requireFinite("colShiftPx", colShiftPx);
        requireFinite("shearDeg", shearDeg);
        if (!(zoomRow > 0) || !(zoomCol > 0) || Double.isInfinite(zoomRow) || Double.isInfinite(zoomCol)) {
            throw new IllegalArgumentException("zoom factors must be positive and finite, got zoomRow=" + zoomRow
                    + ", zoomCol=" + zoomCol);
        }
        if (!(brightness >= 0) || Double.isInfinite(brightness)) {
            throw new IllegalArgumentException("brightness factor must be finite and >= 0, got " + brightness);
        }
    }

    /** Parameters that leave an image unchanged. */
    public static AugmentParams identity() {
        return new AugmentParams(0, 0, 0, 0, 1, 1, false, 1);
    }

    /** True when the affine part is the identity, so Keras skips the warp ({@code transform_matrix is None}). */
    public boolean geometricIdentity() {
        return rotationDeg == 0 && rowShiftPx == 0 && colShiftPx == 0 && shearDeg == 0 && zoomRow == 1 && zoomCol == 1;
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }
}
