package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrCurveTest {

    private static final double EXACT = 1e-12;

    @Test
    void averagePrecisionOfTheDocumentedExample() {
        // scikit-learn's average_precision_score example: truth [0,0,1,1], scores [0.1,0.4,0.35,0.8] -> 0.8333...
        // By hand, thresholds descending: >=0.8: P 1, R 0.5; >=0.4: P 1/2, R 0.5; >=0.35: P 2/3, R 1; >=0.1: P 1/2, R 1
        // AP = (0.5 - 0)*1 + 0*(1/2) + (1 - 0.5)*(2/3) + 0*(1/2) = 0.5 + 1/3 = 5/6.
        PrCurve curve = PrCurve.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
        assertEquals(5.0 / 6, curve.averagePrecision().orElseThrow(), EXACT);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, curve.thresholds());
        assertArrayEquals(new double[] {1, 1, 0.5, 2.0 / 3, 0.5}, curve.precision(), EXACT);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, curve.recall(), EXACT);
    }

    @Test
    void tiedScoresAreOneStep() {
        // truth [1,1,0,0,1], scores [0.9,0.6,0.6,0.3,0.3]; P = 3 positives.
        // >=0.9: tp 1 fp 0 -> P 1,   R 1/3
        // >=0.6: tp 2 fp 1 -> P 2/3, R 2/3   (the tie 0.6 is one step)
        // >=0.3: tp 3 fp 2 -> P 3/5, R 1
        // AP = 1/3*1 + 1/3*2/3 + 1/3*3/5 = (15 + 10 + 9) / 45 = 34/45.
        double ap = AveragePrecision.of(new int[] {1, 1, 0, 0, 1}, new double[] {0.9, 0.6, 0.6, 0.3, 0.3})
                .orElseThrow();
        assertEquals(34.0 / 45, ap, EXACT);
    }

    @Test
    void allScoresTiedGivesPrevalence() {
        // One step: P = 2/5 at R = 1 -> AP = 0.4.
        assertEquals(0.4, AveragePrecision.of(new int[] {1, 0, 1, 0, 0}, new double[] {0.5, 0.5, 0.5, 0.5, 0.5})
                .orElseThrow(), EXACT);
    }

    @Test
    void averagePrecisionMatchesBruteForceDefinitionOnRandomData() {
        Random random = new Random(99);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(250);
            boolean[] truth = new boolean[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                truth[i] = random.nextDouble() < 0.25;
                scores[i] = Math.round((random.nextDouble() + (truth[i] ? 0.3 : 0)) * 8) / 8.0;
            }
            truth[0] = true;
            assertEquals(bruteForceAp(truth, scores), AveragePrecision.of(truth, scores).orElseThrow(), 1e-12,
                    "trial " + trial);
        }
    }

    @Test
    void noNegativesGiveOneAndNoPositivesGiveAReason() {
        assertEquals(1.0, AveragePrecision.of(new int[] {1, 1}, new double[] {0.2, 0.9}).orElseThrow(), EXACT);
        MetricValue ap = AveragePrecision.of(new int[] {0, 0}, new double[] {0.2, 0.9});
        assertFalse(ap.isDefined());
        assertTrue(ap.undefinedReason().get().startsWith("no positive examples"));
        assertTrue(PrCurve.of(new int[] {0, 0}, new double[] {0.2, 0.9}).points().isEmpty());
    }

    /**
     * AP by the step-wise definition, computed independently of the sweep: each distinct score t, taken in
     * decreasing order, contributes (R(t) - R(previous t)) * P(t), where R and P are recounted from scratch over
     * all examples with score >= t.
     */
    static double bruteForceAp(boolean[] truth, double[] scores) {
        double[] distinct = java.util.Arrays.stream(scores).distinct().sorted().toArray();
        double ap = 0;
        double previousRecall = 0;
        for (int k = distinct.length - 1; k >= 0; k--) {
            double t = distinct[k];
            int tp = 0;
            int predicted = 0;
            int positives = 0;
            for (int i = 0; i < truth.length; i++) {
                positives += truth[i] ? 1 : 0;
                if (scores[i] >= t) {
                    predicted++;
                    tp += truth[i] ? 1 : 0;
                }
            }
            double recall = (double) tp / positives;
            ap += (recall - previousRecall) * tp / predicted;
            previousRecall = recall;
        }
        return ap;
    }
}
