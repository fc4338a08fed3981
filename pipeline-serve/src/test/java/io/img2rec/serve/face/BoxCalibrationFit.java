package io.img2rec.serve.face;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link BoxCalibration} to pairs of boxes of the same face (a detector's box and the reference detector's
 * box), and measures how well a calibration maps one to the other. Pure functions.
 *
 * <p>Per pair, with the detector box's width {@code w}, height {@code h} and centre {@code (cx, cy)} and the reference
 * box's {@code w', h', cx', cy'} (all from the boxes' numbers, centre = (left + right) / 2): width ratio
 * {@code w'/w}, height ratio {@code h'/h}, offsets {@code (cx' − cx)/w} and {@code (cy' − cy)/h}. The fitted
 * calibration takes the mean of each over the pairs (every pair counts the same, whatever its size), with one scale: the mean of the width
 * and height ratios (both detectors draw square boxes; the two ratios are reported apart to show it).
 */
public final class BoxCalibrationFit {
    /** A detector box and the reference box of the same face. */
    public record Pair(String image, FaceBox detected, FaceBox reference) {
    }

    /** Mean and standard deviation (population) of one per-pair quantity. */
    public record Spread(double mean, double sd, double min, double max) {
        static Spread of(double[] values) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new Spread(mean, Math.sqrt(squares / values.length), min, max);
        }
    }

    /** The fitted calibration and the per-pair spread of each factor. */
    public record Result(BoxCalibration calibration, int pairs, Spread widthRatio, Spread heightRatio,
                         Spread offsetX, Spread offsetY) {
    }

    /**
     * How far calibrated boxes are from the reference boxes.
     *
     * @param edgeRms RMS over pairs and the four edges of (calibrated edge − reference edge) / reference box side
     * @param edgeMax largest such edge error
     * @param meanIou mean IoU between calibrated and reference boxes
     * @param minIou  smallest IoU
     */
    public record Residual(double edgeRms, double edgeMax, double meanIou, double minIou) {
    }

    private BoxCalibrationFit() {
    }

    public static Result fit(List<Pair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a calibration to no pairs of boxes");
        }
        int n = pairs.size();
        double[] widthRatio = new double[n];
        double[] heightRatio = new double[n];
        double[] offsetX = new double[n];
        double[] offsetY = new double[n];
        for (int i = 0; i < n; i++) {
            FaceBox d = pairs.get(i).detected();
            FaceBox r = pairs.get(i).reference();
            widthRatio[i] = (double) r.width() / d.width();
            heightRatio[i] = (double) r.height() / d.height();
            offsetX[i] = (centreX(r) - centreX(d)) / d.width();
            offsetY[i] = (centreY(r) - centreY(d)) / d.height();
        }
        Spread wr = Spread.of(widthRatio);
        Spread hr = Spread.of(heightRatio);
        Spread ox = Spread.of(offsetX);
        Spread oy = Spread.of(offsetY);
        BoxCalibration calibration = new BoxCalibration((wr.mean() + hr.mean()) / 2, ox.mean(), oy.mean());
        return new Result(calibration, n, wr, hr, ox, oy);
    }

    public static Residual residual(BoxCalibration calibration, List<Pair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no pairs of boxes to measure");
        }
        double squares = 0;
        double max = 0;
        double iouSum = 0;
        double iouMin = 1;
        for (Pair pair : pairs) {
            FaceBox c = calibration.apply(pair.detected());
            FaceBox r = pair.reference();
            double[] errors = {
                (double) (c.top() - r.top()) / r.height(), (double) (c.bottom() - r.bottom()) / r.height(),
                (double) (c.left() - r.left()) / r.width(), (double) (c.right() - r.right()) / r.width()};
            for (double e : errors) {
                squares += e * e;
                max = Math.max(max, Math.abs(e));
            }
            double iou = iou(c, r);
            iouSum += iou;
            iouMin = Math.min(iouMin, iou);
        }
        return new Residual(Math.sqrt(squares / (4.0 * pairs.size())), max, iouSum / pairs.size(), iouMin);
    }

    /** Intersection over union of two boxes (right and bottom exclusive). */
    public static double iou(FaceBox a, FaceBox b) {
        long w = Math.max(0, Math.min(a.right(), b.right()) - Math.max(a.left(), b.left()));
        long h = Math.max(0, Math.min(a.bottom(), b.bottom()) - Math.max(a.top(), b.top()));
        long inter = w * h;
        long union = (long) a.width() * a.height() + (long) b.width() * b.height() - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    /**
     * Pairs each reference box with the detector box of highest IoU, when that IoU is at least {@code minIou} and the
     * detector box is not already taken by a better-matching reference box. Unmatched boxes on either side are left
     * out (false detections of either detector).
     */
    public static List<Pair> match(String image, List<FaceBox> detected, List<FaceBox> reference, double minIou) {
        List<double[]> candidates = new ArrayList<>(); // {iou, detectedIndex, referenceIndex}
        for (int d = 0; d < detected.size(); d++) {
            for (int r = 0; r < reference.size(); r++) {
                double iou = iou(detected.get(d), reference.get(r));
                if (iou >= minIou) {
                    candidates.add(new double[] {iou, d, r});
                }
            }
        }
        candidates.sort((x, y) -> Double.compare(y[0], x[0]));
        boolean[] usedD = new boolean[detected.size()];
        boolean[] usedR = new boolean[reference.size()];
        List<Pair> pairs = new ArrayList<>();
        for (double[] c : candidates) {
            int d = (int) c[1];
            int r = (int) c[2];
            if (!usedD[d] && !usedR[r]) {
                usedD[d] = true;
                usedR[r] = true;
                pairs.add(new Pair(image, detected.get(d), reference.get(r)));
            }
        }
        return pairs;
    }

    /** Whether a reference box touches the image border (it may have been trimmed, so its size is not the face's). */
    public static boolean touchesBorder(FaceBox box, int imageWidth, int imageHeight) {
        return box.top() <= 0 || box.left() <= 0 || box.right() >= imageWidth || box.bottom() >= imageHeight;
    }

    private static double centreX(FaceBox box) {
        return (box.left() + box.right()) / 2.0;
    }

    private static double centreY(FaceBox box) {
        return (box.top() + box.bottom()) / 2.0;
    }
}
