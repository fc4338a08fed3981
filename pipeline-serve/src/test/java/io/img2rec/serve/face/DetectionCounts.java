package io.img2rec.serve.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Detection figures at one IoU threshold: true positives (a detection matched one-to-one to a labelled face, greedily
 * by IoU), false positives, missed faces, and the no-people images that got at least one detection. Detections on an
 * ignored face (IoU ≥ 0.3 with it) count neither way.
 */
public record DetectionCounts(int truePositives, int falsePositives, int missed, int noPeopleImagesWithFace,
                              int noPeopleImages) {
    public static final DetectionCounts ZERO = new DetectionCounts(0, 0, 0, 0, 0);

    public double precision() {
        int found = truePositives + falsePositives;
        return found == 0 ? 1.0 : (double) truePositives / found;
    }

    public double recall() {
        int faces = truePositives + missed;
        return faces == 0 ? 1.0 : (double) truePositives / faces;
    }

    public DetectionCounts plus(DetectionCounts o) {
        return new DetectionCounts(truePositives + o.truePositives, falsePositives + o.falsePositives,
                missed + o.missed, noPeopleImagesWithFace + o.noPeopleImagesWithFace, noPeopleImages + o.noPeopleImages);
    }

    /** The figures of one image. */
    public static DetectionCounts of(List<FaceBox> truth, List<FaceBox> ignored, List<FaceBox> detected,
                                     boolean people, double minIou) {
        List<FaceBox> kept = detected.stream().filter(d -> ignored.stream().noneMatch(i -> iou(d, i) >= 0.3)).toList();
        record Pair(int t, int d, double iou) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            for (int d = 0; d < kept.size(); d++) {
                double v = iou(truth.get(t), kept.get(d));
                if (v >= minIou) {
                    pairs.add(new Pair(t, d, v));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        boolean[] usedT = new boolean[truth.size()];
        boolean[] usedD = new boolean[kept.size()];
        int tp = 0;
        for (Pair p : pairs) {
            if (!usedT[p.t()] && !usedD[p.d()]) {
                usedT[p.t()] = true;
                usedD[p.d()] = true;
                tp++;
            }
        }
        return new DetectionCounts(tp, kept.size() - tp, truth.size() - tp, !people && !kept.isEmpty() ? 1 : 0,
                people ? 0 : 1);
    }

    public static double iou(FaceBox a, FaceBox b) {
        int iw = Math.min(a.right(), b.right()) - Math.max(a.left(), b.left());
        int ih = Math.min(a.bottom(), b.bottom()) - Math.max(a.top(), b.top());
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = (double) iw * ih;
        return inter / ((double) a.width() * a.height() + (double) b.width() * b.height() - inter);
    }
}
