package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class AveragedMetricsTest {

    private static final double EXACT = 1e-12;

    // Label 'a': truth [1,1,1,0,0,0], scores [.9,.8,.7,.6,.2,.1]; at >= 0.5: tp 3, fp 1, tn 2, fn 0
    //   -> precision 3/4, recall 1, F1 6/7; AUC 1 (every positive above every negative).
    private static final LabelReport A = LabelReport.of("a", new boolean[] {true, true, true, false, false, false},
            new double[] {0.9, 0.8, 0.7, 0.6, 0.2, 0.1}, 0.5);
    // Label 'b': truth [1,1,0,0,0,0], scores [.9,.15,.2,.1,.1,.1]; at >= 0.5: tp 1, fp 0, tn 4, fn 1
    //   -> precision 1, recall 1/2, F1 2/3; AUC: 0.9 beats 4 negatives, 0.15 beats three 0.1s but not 0.2 -> 7/8.
    private static final LabelReport B = LabelReport.of("b", new boolean[] {true, true, false, false, false, false},
            new double[] {0.9, 0.15, 0.2, 0.1, 0.1, 0.1}, 0.5);

    @Test
    void microPoolsCountsAndMacroAveragesLabelsByHand() {
        AveragedMetrics avg = AveragedMetrics.of(List.of(A, B));
        // micro: tp 4, fp 1, tn 6, fn 1 -> precision 4/5, recall 4/5, F1 8/10
        assertEquals(new ConfusionMatrix(4, 1, 6, 1), avg.microConfusion());
        assertEquals(0.8, avg.microPrecision().orElseThrow(), EXACT);
        assertEquals(0.8, avg.microRecall().orElseThrow(), EXACT);
        assertEquals(0.8, avg.microF1().orElseThrow(), EXACT);
        // macro: precision (3/4 + 1)/2 = 7/8, recall (1 + 1/2)/2 = 3/4, F1 (6/7 + 2/3)/2 = 16/21
        assertEquals(7.0 / 8, avg.macroPrecision().orElseThrow(), EXACT);
        assertEquals(0.75, avg.macroRecall().orElseThrow(), EXACT);
        assertEquals(16.0 / 21, avg.macroF1().orElseThrow(), EXACT);
        // macro AUC (1 + 7/8)/2 = 15/16
        assertEquals(15.0 / 16, avg.macroAuc().orElseThrow(), EXACT);
        assertEquals(List.of(), avg.notes());
    }

    @Test
    void labelWithoutPositivesIsSkippedForAucAndCountedAsZeroForPrecision() {
        // Label 'c' has no positives and no predicted positives: AUC undefined, precision/recall/F1 undefined.
        LabelReport c = LabelReport.of("c", new boolean[] {false, false}, new double[] {0.1, 0.2}, 0.5);
        AveragedMetrics avg = AveragedMetrics.of(List.of(A, B, c));
        assertEquals(15.0 / 16, avg.macroAuc().orElseThrow(), EXACT);
        // precision (3/4 + 1 + 0)/3 = 7/12, as scikit-learn with zero_division=0
        assertEquals(7.0 / 12, avg.macroPrecision().orElseThrow(), EXACT);
        assertEquals(
                "macro ROC AUC skips 'c': no positive examples for 'c' (2 negatives)",
                avg.notes().stream().filter(n -> n.startsWith("macro ROC AUC")).findFirst().orElseThrow());
        assertEquals(5, avg.notes().size()); // precision, recall, F1, AUC, AP
    }

    @Test
    void noLabelsGiveReasons() {
        AveragedMetrics avg = AveragedMetrics.of(List.of());
        assertFalse(avg.macroAuc().isDefined());
        assertFalse(avg.macroF1().isDefined());
        assertFalse(avg.microF1().isDefined());
        assertEquals("no labels to average", avg.macroAuc().undefinedReason().get());
    }
}
