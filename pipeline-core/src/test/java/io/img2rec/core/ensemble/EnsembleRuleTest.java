package io.img2rec.core.ensemble;

import io.img2rec.core.metrics.ScoredLabels;
import io.img2rec.core.metrics.ThresholdSelection;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleRuleTest {
    private static EnsembleRule.Scored s(boolean truth, double score) {
        return new EnsembleRule.Scored(truth, score);
    }

    @Test
    void scoreIsTheWeightedMeanWithUnnamedModelsWeighingOne() {
        EnsembleRule rule = EnsembleRule.weighted(Map.of("vgg16", 3.0));
        assertEquals((3 * 0.2 + 0.6) / 4, rule.score(Map.of("vgg16", 0.2, "resnet50", 0.6)), 1e-15);
        assertEquals(0.4, EnsembleRule.equalWeights().score(Map.of("vgg16", 0.2, "resnet50", 0.6)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> EnsembleRule.weighted(Map.of("vgg16", 0.0)));
    }

    @Test
    void thresholdIsTunedOnTheAveragedValidationScoresNotAnAverageOfThresholds() {
        // a: positives 0.9, 0.8 | negatives 0.7, 0.1 → own max-F1 threshold 0.8
        // b: positives 0.3, 0.9 | negatives 0.2, 0.1 → own max-F1 threshold 0.3
        var a = Map.of("p1", s(true, 0.9), "p2", s(true, 0.8), "n1", s(false, 0.7), "n2", s(false, 0.1));
        var b = Map.of("p1", s(true, 0.3), "p2", s(true, 0.9), "n1", s(false, 0.2), "n2", s(false, 0.1));
        EnsembleRule rule = EnsembleRule.equalWeights();
        double ta = ThresholdSelection.maxF1(ScoredLabels.of(new boolean[] {true, true, false, false},
                new double[] {0.9, 0.8, 0.7, 0.1})).threshold();
        double tb = ThresholdSelection.maxF1(ScoredLabels.of(new boolean[] {true, true, false, false},
                new double[] {0.3, 0.9, 0.2, 0.1})).threshold();
        assertEquals(0.8, ta, 1e-12);
        assertEquals(0.3, tb, 1e-12);
        EnsembleRule.Averaged averaged = rule.average(Map.of("a", a, "b", b));
        assertEquals(java.util.List.of("n1", "n2", "p1", "p2"), averaged.examples().paths());
        assertArrayEquals(new double[] {0.45, 0.1, 0.6, 0.85}, averaged.examples().scores(), 1e-15);
        // Averaged positives 0.6 and 0.85, negatives 0.45 and 0.1: max F1 (= 1) at the largest such threshold, 0.6.
        double t = rule.threshold(Map.of("a", a, "b", b), "hat").threshold();
        assertEquals(0.6, t, 1e-12);
        assertTrue(Math.abs(t - (ta + tb) / 2) > 0.01, "not the mean of the models' thresholds");
    }

    @Test
    void anImageSomeModelDidNotScoreIsExcludedAndCounted() {
        var a = Map.of("p1", s(true, 0.9), "n1", s(false, 0.2));
        var b = Map.of("p1", s(true, 0.7));
        EnsembleRule.Averaged averaged = EnsembleRule.equalWeights().average(Map.of("a", a, "b", b));
        assertEquals(java.util.Set.of("n1"), averaged.incomplete());
        assertTrue(Double.isNaN(averaged.examples().scores()[0]));
        assertEquals(0.8, averaged.examples().scores()[1], 1e-15);
    }

    @Test
    void modelsThatDisagreeOnTruthAreRefused() {
        var a = Map.of("p1", s(true, 0.9));
        var b = Map.of("p1", s(false, 0.7));
        var e = assertThrows(IllegalArgumentException.class,
                () -> EnsembleRule.equalWeights().average(Map.of("a", a, "b", b)));
        assertTrue(e.getMessage().contains("p1"), e.getMessage());
    }

    @Test
    void validationWithoutPositivesFallsBack() {
        var a = Map.of("n1", s(false, 0.9), "n2", s(false, 0.2));
        ThresholdSelection t = EnsembleRule.equalWeights().withFallbackThreshold(0.4).threshold(Map.of("a", a), "hat");
        assertEquals(0.4, t.threshold());
        assertTrue(t.fallbackReason().isPresent());
    }
}
