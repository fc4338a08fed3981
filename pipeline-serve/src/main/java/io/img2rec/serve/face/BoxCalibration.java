package io.img2rec.serve.face;

/**
 * Maps a detector's face box to the box dlib's HOG detector (used by the original through face_recognition) would
 * have drawn, because the crop geometry was tuned on dlib boxes. The box's centre moves by
 * {@code (offsetX·w, offsetY·h)} and its sides are multiplied by {@code scale}; the result is rounded to pixels.
 *
 * <p>{@link #IDENTITY} is the default: no set of photographs with both Haar and dlib boxes could be used here (dlib is
 * not on Maven Central and the project ships no photos of real faces), and the generated portraits are drawings the
 * Haar cascade does not reliably find. Measure the factors on your own photos (run both detectors, fit the centre
 * offset and the side ratio by least squares) and pass them in; see docs/SERVING.md.
 *
 * @param scale   multiplier of width and height (&gt; 0)
 * @param offsetX centre shift to the right, as a fraction of the box width
 * @param offsetY centre shift downwards, as a fraction of the box height
 */
public record BoxCalibration(double scale, double offsetX, double offsetY) {
    public static final BoxCalibration IDENTITY = new BoxCalibration(1.0, 0.0, 0.0);

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
