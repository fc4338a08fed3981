package io.img2rec.serve.face;

/**
 * Maps a detector's face box to the box dlib's HOG detector (used by the original through face_recognition) would
 * have drawn, because the crop geometry was tuned on dlib boxes. The box's centre moves by
 * {@code (offsetX·w, offsetY·h)} and its sides are multiplied by {@code scale}; the result is rounded to pixels.
 *
 * <p>{@link #DLIB_HOG} is the default: measured for {@link HaarFaceDetector} with its default settings against
 * dlib 19.24's {@code get_frontal_face_detector()} run as face_recognition runs it (upsample 1, boxes as its
 * (top, right, bottom, left) numbers), on 56 rescaled, mirrored and padded variants of two public-domain photographs
 * — two distinct faces. Haar's box is larger than dlib's and sits higher: dlib's is 0.91 of its side, centred 0.11 of
 * its height lower, with no horizontal shift. Residual: 4.9 % of the side (RMS over box edges), mean IoU 0.86
 * (identity: 11 %, 0.72). {@link #IDENTITY} keeps the detector's boxes as they are. How it was measured, and its
 * limits: docs/SERVING.md and {@code tools/calibrate-faces.sh}.
 *
 * @param scale   multiplier of width and height (&gt; 0)
 * @param offsetX centre shift to the right, as a fraction of the box width
 * @param offsetY centre shift downwards, as a fraction of the box height
 */
public record BoxCalibration(double scale, double offsetX, double offsetY) {
    /** No change: the detector's boxes are used as they are. */
    public static final BoxCalibration IDENTITY = new BoxCalibration(1.0, 0.0, 0.0);
    /** Haar (default cascade and settings) → dlib HOG as face_recognition reports it; measured 2026-11-24. */
    public static final BoxCalibration DLIB_HOG = new BoxCalibration(0.91, 0.0, 0.11);

    public BoxCalibration {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(offsetX) || !Double.isFinite(offsetY)) {
            throw new IllegalArgumentException("calibration needs a finite scale > 0 and finite offsets, got scale="
                    + scale + " offsetX=" + offsetX + " offsetY=" + offsetY);
        }
    }

    public FaceBox apply(FaceBox box) {
        if (this.equals(IDENTITY)) {
            return box;
        }
        double w = box.width();
        double h = box.height();
        double cx = (box.left() + box.right()) / 2.0 + offsetX * w;
        double cy = (box.top() + box.bottom()) / 2.0 + offsetY * h;
        double nw = Math.max(1, w * scale);
        double nh = Math.max(1, h * scale);
        int left = (int) Math.round(cx - nw / 2);
        int top = (int) Math.round(cy - nh / 2);
        int right = Math.max(left + 1, (int) Math.round(cx + nw / 2));
        int bottom = Math.max(top + 1, (int) Math.round(cy + nh / 2));
        return new FaceBox(top, right, bottom, left);
    }
}
