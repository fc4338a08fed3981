package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocTest {

    private static final double EXACT = 1e-12;

    @Test
    void aucCountsCorrectlyOrderedPairs() {
        // truth [0,0,1,1], scores [0.1,0.4,0.35,0.8]. Pairs (positive, negative):
        // (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok -> 3 of 4 = 0.75
        // (also scikit-learn's documented roc_auc_score example value).
        assertEquals(0.75, RocAuc.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8}).orElseThrow(), EXACT);
    }

    @Test
    void allScoresEqualGiveOneHalf() {
        // Every pair is tied and counts 1/2: AUC = 0.5.
        assertEquals(0.5, RocAuc.of(new int[] {0, 1, 1, 0, 1}, new double[] {0.3, 0.3, 0.3, 0.3, 0.3}).orElseThrow(),
                EXACT);
    }

    @Test
    void partialTiesCountOneHalf() {
        // positives {0.9, 0.5}, negatives {0.5, 0.2, 0.1}; pairs: 0.9 beats all 3 (3),
        // 0.5 ties 0.5 (1/2) and beats 0.2, 0.1 (2) -> 5.5 of 6.
        // Average ranks (ascending 0.1,0.2,0.5,0.5,0.9): positives have ranks 3.5 and 5 -> R+ = 8.5,
        // U = 8.5 - 2*3/2 = 5.5, AUC = 5.5 / 6.
        boolean[] truth = {true, true, false, false, false};
        double[] scores = {0.9, 0.5, 0.5, 0.2, 0.1};
        assertEquals(5.5 / 6, RocAuc.of(truth, scores).orElseThrow(), EXACT);
    }

    @Test
    void aucMatchesBruteForcePairCountOnRandomDataWithTies() {
        Random random = new Random(20240601L);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(300);
            boolean[] truth = new boolean[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                truth[i] = random.nextDouble() < 0.3;
                // rounding to one decimal forces many ties; positives get a slight lift
                scores[i] = Math.round((random.nextDouble() + (truth[i] ? 0.2 : 0)) * 10) / 10.0;
            }
            truth[0] = true;
            truth[1] = false;
            assertEquals(bruteForceAuc(truth, scores), RocAuc.of(truth, scores).orElseThrow(), 1e-12,
                    "trial " + trial);
        }
    }

    @Test
    void aucEqualsTrapezoidalAreaUnderTheCurve() {
        Random random = new Random(7);
        int n = 400;
        boolean[] truth = new boolean[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextBoolean();
            scores[i] = Math.round((random.nextGaussian() + (truth[i] ? 1 : 0)) * 4) / 4.0;
        }
        RocCurve curve = RocCurve.of(truth, scores);
        double[] fpr = curve.fpr();
        double[] tpr = curve.tpr();
        double area = 0;
        for (int k = 1; k < fpr.length; k++) {
            area += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
        }
        assertEquals(area, curve.auc().orElseThrow(), 1e-12);
        assertEquals(bruteForceAuc(truth, scores), curve.auc().orElseThrow(), 1e-12);
    }

    @Test
    void curveHasOnePointPerDistinctScoreAfterAnInfiniteThreshold() {
        // scikit-learn's roc_curve example, truth [0,0,1,1], scores [0.1,0.4,0.35,0.8]:
        // at >= 0.8: tp 1, fp 0; >= 0.4: tp 1, fp 1; >= 0.35: tp 2, fp 1; >= 0.1: tp 2, fp 2.
        RocCurve curve = RocCurve.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, curve.thresholds());
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, curve.fpr(), EXACT);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, curve.tpr(), EXACT);
        assertEquals(2, curve.positives());
        assertEquals(2, curve.negatives());
    }

    @Test
    void tiedScoresFormASinglePoint() {
        RocCurve curve = RocCurve.of(new int[] {1, 0, 1, 0}, new double[] {0.7, 0.7, 0.7, 0.2});
        assertEquals(List.of(new RocPoint(Double.POSITIVE_INFINITY, 0, 0), new RocPoint(0.7, 0.5, 1.0),
                new RocPoint(0.2, 1.0, 1.0)), curve.points());
    }

    @Test
    void negativeZeroAndZeroAreOneScore() {
        // -0.0 == 0.0, so the two examples tie: AUC 0.5 and a single group.
        RocCurve curve = RocCurve.of(new int[] {1, 0}, new double[] {-0.0, 0.0});
        assertEquals(0.5, curve.auc().orElseThrow(), EXACT);
        assertEquals(2, curve.points().size());
    }

    @Test
    void singleClassGivesReasonNotNaN() {
        MetricValue auc = RocAuc.of(ScoredLabels.of(new int[] {0, 0, 0}, new double[] {0.1, 0.2, 0.3})
                .describedAs("'hat' on the test split"));
        assertFalse(auc.isDefined());
        assertEquals("no positive examples for 'hat' on the test split (3 negatives)", auc.undefinedReason().get());
        assertEquals("N/A (no positive examples for 'hat' on the test split (3 negatives))", auc.toString());

        RocCurve curve = RocCurve.of(new int[] {1, 1}, new double[] {0.1, 0.2});
        assertTrue(curve.points().isEmpty());
        assertTrue(curve.auc().undefinedReason().get().startsWith("no negative examples"));
    }

    @Test
    void nanScoresAreExcludedAndCounted() {
        // Without the NaN rows this is the 0.75 example above.
        ScoredLabels sample = ScoredLabels.of(new int[] {0, 1, 0, 1, 1, 0},
                new double[] {0.1, Double.NaN, 0.4, 0.35, 0.8, Double.NaN});
        RocCurve curve = RocCurve.of(sample);
        assertEquals(0.75, curve.auc().orElseThrow(), EXACT);
        assertEquals(2, curve.excludedNaN());
        assertEquals("2 of 6 scores were not numbers (failed images) and were excluded", sample.nanNote().get());
    }

    @Test
    void emptyAndAllNaNInputsGiveReasons() {
        assertEquals("no examples", RocAuc.of(new int[0], new double[0]).undefinedReason().get());
        assertEquals("no examples (all 2 scores were not numbers)",
                RocAuc.of(new int[] {0, 1}, new double[] {Double.NaN, Double.NaN}).undefinedReason().get());
    }

    @Test
    void mismatchedLengthsAndNonBinaryTruthAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new int[] {0, 1}, new double[] {0.3}));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("1"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> RocAuc.of(new int[] {0, 2}, new double[] {1, 2}));
        assertTrue(e2.getMessage().contains("truth[1] = 2"), e2.getMessage());
    }

    /** Mann-Whitney by definition: over all positive-negative pairs, 1 if ordered correctly, 1/2 if tied. */
    static double bruteForceAuc(boolean[] truth, double[] scores) {
        double correct = 0;
        long pairs = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int j = 0; j < truth.length; j++) {
                if (truth[i] && !truth[j]) {
                    pairs++;
                    if (scores[i] > scores[j]) {
                        correct += 1;
                    } else if (scores[i] == scores[j]) {
                        correct += 0.5;
                    }
                }
            }
        }
        return correct / pairs;
    }
}
