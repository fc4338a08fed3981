package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapIntervalTest {

    /** 300 examples, ~40% positive, positives scored higher on average: AUC well inside (0.5, 1). */
    private static ScoredLabels separableSample() {
        Random random = new Random(42);
        int n = 300;
        boolean[] truth = new boolean[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextDouble() < 0.4;
            scores[i] = 1 / (1 + Math.exp(-(random.nextGaussian() + (truth[i] ? 1.2 : -0.3))));
        }
        return ScoredLabels.of(truth, scores);
    }

    @Test
    void sameSeedGivesSameIntervalAndAnotherSeedDiffers() {
        ScoredLabels sample = separableSample();
        BootstrapInterval first = BootstrapInterval.rocAuc(sample, 7L);
        assertEquals(first, BootstrapInterval.rocAuc(sample, 7L));
        assertNotEquals(first.lower(), BootstrapInterval.rocAuc(sample, 8L).lower());
        assertEquals(1000, first.resamples());
    }

    @Test
    void aucIntervalContainsThePointEstimate() {
        BootstrapInterval ci = BootstrapInterval.rocAuc(separableSample(), 1L);
        double estimate = ci.estimate().orElseThrow();
        assertEquals(RocAuc.of(separableSample()).orElseThrow(), estimate);
        assertTrue(ci.lower().orElseThrow() < estimate && estimate < ci.upper().orElseThrow(), ci.toString());
        assertTrue(ci.upper().orElseThrow() - ci.lower().orElseThrow() < 0.2, ci.toString());
        assertEquals(0, ci.skippedResamples());
    }

    @Test
    void f1IntervalContainsThePointEstimate() {
        ScoredLabels sample = separableSample();
        BootstrapInterval ci = BootstrapInterval.f1(sample, 0.5, new BootstrapOptions(3L, 500, 0.9));
        double estimate = ConfusionMatrix.of(sample, 0.5).f1().orElseThrow();
        assertEquals(estimate, ci.estimate().orElseThrow());
        assertTrue(ci.lower().orElseThrow() < estimate && estimate < ci.upper().orElseThrow(), ci.toString());
        assertEquals(500, ci.resamples());
    }

    @Test
    void singleClassResamplesAreSkippedAndCounted() {
        // One positive in 10: a resample misses it with probability 0.9^10 ~ 0.35, so about 350 of 1000 skip.
        boolean[] truth = new boolean[10];
        truth[0] = true;
        double[] scores = {0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.95};
        BootstrapInterval ci = BootstrapInterval.rocAuc(ScoredLabels.of(truth, scores), 11L);
        assertTrue(ci.skippedResamples() > 250 && ci.skippedResamples() < 450, "skipped " + ci.skippedResamples());
        assertTrue(ci.isDefined());
    }

    @Test
    void singleClassSampleGivesReasonForEveryPart() {
        BootstrapInterval ci = BootstrapInterval.rocAuc(
                ScoredLabels.of(new int[] {0, 0, 0}, new double[] {0.2, 0.4, 0.6}).describedAs("'hat'"), 5L);
        assertFalse(ci.isDefined());
        assertFalse(ci.estimate().isDefined());
        assertEquals("cannot bootstrap ROC AUC: no positive examples for 'hat' (3 negatives)",
                ci.lower().undefinedReason().get());
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        // Sorted [0,10,20,30,40]: q=0.25 -> position 1 -> 10; q=0.1 -> position 0.4 -> 4.
        double[] sorted = {0, 10, 20, 30, 40};
        assertEquals(10.0, BootstrapInterval.quantile(sorted, 0.25), 1e-12);
        assertEquals(4.0, BootstrapInterval.quantile(sorted, 0.1), 1e-12);
        assertEquals(40.0, BootstrapInterval.quantile(sorted, 1.0), 1e-12);
    }

    @Test
    void invalidOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BootstrapOptions(1, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new BootstrapOptions(1, 100, 1.0));
    }
}
