package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThresholdSelectionTest {

    private static final double EXACT = 1e-12;

    @Test
    void picksTheThresholdWithHighestValidationF1() {
        // truth [1,1,0,1,0], scores [.9,.8,.7,.6,.2]; F1 = 2tp / (2tp + fp + fn), 3 positives:
        // >=.9: tp1 fp0 fn2 -> 2/4; >=.8: tp2 fp0 fn1 -> 4/5; >=.7: tp2 fp1 fn1 -> 4/6;
        // >=.6: tp3 fp1 fn0 -> 6/7 (best); >=.2: tp3 fp2 -> 6/8.
        ThresholdSelection s = ThresholdSelection.maxF1(new int[] {1, 1, 0, 1, 0},
                new double[] {0.9, 0.8, 0.7, 0.6, 0.2});
        assertEquals(0.6, s.threshold());
        assertEquals(6.0 / 7, s.validationF1().orElseThrow(), EXACT);
        assertEquals(5, s.candidates());
        assertFalse(s.usedFallback());
    }

    @Test
    void tiesGoToTheLargerThresholdAndApplyToTest() {
        // validation truth [1,0,0,1], scores [.8,.6,.4,.2], 2 positives:
        // >=.8: tp1 fp0 fn1 -> 2/3; >=.6: 2/4; >=.4: 2/5; >=.2: tp2 fp2 fn0 -> 4/6 = 2/3. Tie 0.8 vs 0.2 -> 0.8.
        ThresholdSelection s = ThresholdSelection.maxF1(new int[] {1, 0, 0, 1}, new double[] {0.8, 0.6, 0.4, 0.2});
        assertEquals(0.8, s.threshold());
        // test truth [1,0,1,0], scores [.85,.9,.7,.1] at >= 0.8: tp {.85}, fp {.9}, fn {.7}, tn {.1}
        // -> precision 1/2, recall 1/2, F1 1/2.
        BinaryMetrics test = s.applyTo(ScoredLabels.of(new int[] {1, 0, 1, 0}, new double[] {0.85, 0.9, 0.7, 0.1}));
        assertEquals(new ConfusionMatrix(1, 1, 1, 1), test.confusion());
        assertEquals(0.5, test.f1().orElseThrow(), EXACT);
        assertEquals(0.8, test.threshold());
    }

    @Test
    void validationWithoutPositivesFallsBackWithReason() {
        ThresholdSelection s = ThresholdSelection.maxF1(
                ScoredLabels.of(new int[] {0, 0}, new double[] {0.3, 0.7}).describedAs("'hat' on validation"), 0.4);
        assertTrue(s.usedFallback());
        assertEquals(0.4, s.threshold());
        assertEquals("no positive examples for 'hat' on validation (2 negatives); used fallback threshold 0.4",
                s.fallbackReason().get());
        assertEquals(0.0, s.validationF1().orElseThrow()); // tp 0, fp 1, fn 0 -> 0 / 1
    }

    @Test
    void emptyValidationFallsBackToDefault() {
        ThresholdSelection s = ThresholdSelection.maxF1(new boolean[0], new double[0]);
        assertEquals(ThresholdSelection.DEFAULT_FALLBACK, s.threshold());
        assertFalse(s.validationF1().isDefined());
        assertEquals(0, s.candidates());
    }
}
