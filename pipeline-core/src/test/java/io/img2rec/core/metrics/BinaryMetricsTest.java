package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    private static final double EXACT = 1e-12;

    @Test
    void countsAndRatiosAtThresholdByHand() {
        // index:  0    1    2    3    4    5    6    7
        // truth:  1    1    1    0    0    0    0    1
        // score: .9   .6   .4   .7   .2   .5   .1   .5
        // score >= 0.5 -> predicted at 0,1,3,5,7: tp = {0,1,7} = 3, fp = {3,5} = 2; rest: fn = {2} = 1, tn = {4,6} = 2
        // precision 3/5, recall 3/4, F1 = 2*3 / (2*3 + 2 + 1) = 6/9, accuracy 5/8, specificity 2/4, support 4.
        BinaryMetrics m = BinaryMetrics.of(new int[] {1, 1, 1, 0, 0, 0, 0, 1},
                new double[] {0.9, 0.6, 0.4, 0.7, 0.2, 0.5, 0.1, 0.5}, 0.5);
        assertEquals(new ConfusionMatrix(3, 2, 2, 1), m.confusion());
        assertEquals(0.6, m.precision().orElseThrow(), EXACT);
        assertEquals(0.75, m.recall().orElseThrow(), EXACT);
        assertEquals(6.0 / 9, m.f1().orElseThrow(), EXACT);
        assertEquals(5.0 / 8, m.accuracy().orElseThrow(), EXACT);
        assertEquals(0.5, m.specificity().orElseThrow(), EXACT);
        assertEquals(4, m.support());
    }

    @Test
    void scoreEqualToThresholdIsPredictedPositive() {
        ConfusionMatrix c = ConfusionMatrix.of(ScoredLabels.of(new int[] {1, 0}, new double[] {0.5, 0.5}), 0.5);
        assertEquals(new ConfusionMatrix(1, 1, 0, 0), c);
    }

    @Test
    void noPredictedPositivesLeavesPrecisionUndefinedButF1Zero() {
        // All scores below 0.5: tp 0, fp 0, fn 2, tn 1. Precision 0/0 undefined (scikit-learn zero_division=0 -> 0);
        // F1 = 0 / (0 + 0 + 2) = 0 is defined.
        BinaryMetrics m = BinaryMetrics.of(ScoredLabels.of(new int[] {1, 1, 0}, new double[] {0.1, 0.2, 0.3})
                .describedAs("'hat'"), 0.5);
        assertFalse(m.precision().isDefined());
        assertEquals(0.0, m.precision().orZero());
        assertEquals("no predicted positives (tp + fp = 0) for 'hat'", m.precision().undefinedReason().get());
        assertEquals(0.0, m.f1().orElseThrow());
        assertEquals(0.0, m.recall().orElseThrow());
    }

    @Test
    void noPositivesAndNoPredictionsLeaveRecallAndF1Undefined() {
        BinaryMetrics m = BinaryMetrics.of(new int[] {0, 0}, new double[] {0.1, 0.2}, 0.5);
        assertFalse(m.recall().isDefined());
        assertFalse(m.f1().isDefined());
        assertEquals(0.0, m.f1().orZero());
        assertEquals(1.0, m.accuracy().orElseThrow());
        assertEquals(0, m.support());
    }

    @Test
    void microAverageSumsMatrices() {
        ConfusionMatrix sum = new ConfusionMatrix(1, 2, 3, 4).plus(new ConfusionMatrix(10, 20, 30, 40));
        assertEquals(new ConfusionMatrix(11, 22, 33, 44), sum);
        assertEquals(110, sum.total());
    }

    @Test
    void nanThresholdIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.of(new int[] {1}, new double[] {0.3}, Double.NaN));
        assertTrue(e.getMessage().contains("threshold"));
    }
}
