package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Degenerate inputs never yield NaN: every value is either a number or carries a non-blank reason. */
class UndefinedMetricsTest {

    @Test
    void degenerateLabelsGiveNumbersOrReasonsNeverNaN() {
        List<ScoredLabels> degenerate = List.of(
                ScoredLabels.of(new int[0], new double[0]),
                ScoredLabels.of(new int[] {1, 0}, new double[] {Double.NaN, Double.NaN}),
                ScoredLabels.of(new int[] {0, 0, 0}, new double[] {0.1, 0.9, 0.5}),
                ScoredLabels.of(new int[] {1, 1}, new double[] {0.1, 0.9}),
                ScoredLabels.of(new int[] {1, 0, 1}, new double[] {0.5, 0.5, 0.5}));
        for (ScoredLabels sample : degenerate) {
            LabelReport report = LabelReport.of("hat", sample, 0.5);
            BinaryMetrics m = report.atThreshold();
            for (MetricValue v : List.of(report.auc(), report.averagePrecision(), m.precision(), m.recall(), m.f1(),
                    m.accuracy(), m.specificity(), BootstrapInterval.rocAuc(sample, 1L).lower(),
                    BootstrapInterval.f1(sample, 0.5, 1L).upper(), ThresholdSelection.maxF1(sample).validationF1())) {
                assertTrue(v.isDefined() ? !Double.isNaN(v.orElseThrow()) : !v.undefinedReason().get().isBlank(),
                        sample + " -> " + v);
                assertTrue(v.isDefined() || v.toString().startsWith("N/A ("), v.toString());
            }
        }
    }

    @Test
    void labelReportNamesTheLabelInReasonsAndNotes() {
        LabelReport report = LabelReport.of("hat", new boolean[] {false, false, true},
                new double[] {0.2, 0.3, Double.NaN}, 0.5);
        assertEquals("N/A (no positive examples for 'hat' (2 negatives))", report.auc().toString());
        assertEquals(List.of("1 of 3 scores were not numbers (failed images) and were excluded for 'hat'"), report.notes());
    }

    @Test
    void metricValueRefusesNaNAndExplainsUndefined() {
        assertThrows(IllegalArgumentException.class, () -> MetricValue.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> MetricValue.undefined(" "));
        var e = assertThrows(IllegalStateException.class, () -> MetricValue.undefined("no examples").orElseThrow());
        assertTrue(e.getMessage().contains("no examples"));
        assertEquals("0.25", MetricValue.of(0.25).toString());
    }
}
