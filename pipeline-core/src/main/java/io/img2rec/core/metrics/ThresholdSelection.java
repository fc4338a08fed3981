package io.img2rec.core.metrics;

import java.util.Objects;
import java.util.Optional;

/**
 * A decision threshold chosen on one split (validation) to maximise F1, then applied to another (test) with
 * {@link #applyTo(ScoredLabels)}.
 *
 * <p>Candidates are the distinct non-NaN validation scores; each is tried as {@code score >= t}. When several
 * candidates reach the same highest F1, the <b>largest</b> threshold wins (fewest positive predictions). F1
 * values are compared exactly, by cross-multiplying their integer numerators and denominators. When validation
 * has no positive examples (F1 is 0 or undefined everywhere) or no examples, the fallback threshold is used and
 * {@link #fallbackReason()} says why.
 *
 * @param threshold      the chosen (or fallback) threshold
 * @param validationF1   F1 on the validation split at {@code threshold}
 * @param candidates     distinct validation scores considered
 * @param fallbackReason present when {@code threshold} is the fallback rather than a maximiser
 */
public record ThresholdSelection(double threshold, MetricValue validationF1, int candidates,
                                 Optional<String> fallbackReason) {

    /** The threshold used when validation cannot choose one. */
    public static final double DEFAULT_FALLBACK = 0.5;

    public ThresholdSelection {
        ConfusionMatrix.requireThreshold(threshold);
        Objects.requireNonNull(validationF1, "validationF1");
        Objects.requireNonNull(fallbackReason, "fallbackReason");
    }

    /** Max-F1 threshold on {@code validation}, falling back to {@value #DEFAULT_FALLBACK}. */
    public static ThresholdSelection maxF1(ScoredLabels validation) {
        return maxF1(validation, DEFAULT_FALLBACK);
    }

    /** Max-F1 threshold on {@code validation}, falling back to {@code fallback} when none can be chosen. */
    public static ThresholdSelection maxF1(ScoredLabels validation, double fallback) {
        ConfusionMatrix.requireThreshold(fallback);
        ScoreGroups groups = ScoreGroups.of(validation);
        var reason = validation.missingPositivesReason();
        if (reason.isPresent()) {
            MetricValue f1 = ConfusionMatrix.of(validation, fallback).f1().withReasonSuffix(validation.about());
            return new ThresholdSelection(fallback, f1, groups.size(),
                    Optional.of(reason.get() + "; used fallback threshold " + fallback));
        }
        long positives = validation.positives();
        long bestNumerator = -1;
        long bestDenominator = 1;
        int bestGroup = -1;
        long tp = 0;
        long fp = 0;
        // Groups run from the largest score down, so a later candidate replaces the best only when strictly better.
        for (int g = 0; g < groups.size(); g++) {
            tp += groups.positives[g];
            fp += groups.negatives[g];
            long numerator = 2 * tp;
            long denominator = 2 * tp + fp + (positives - tp);
            if (numerator * bestDenominator > bestNumerator * denominator) {
                bestNumerator = numerator;
                bestDenominator = denominator;
                bestGroup = g;
            }
        }
        return new ThresholdSelection(groups.thresholds[bestGroup],
                MetricValue.of((double) bestNumerator / bestDenominator), groups.size(), Optional.empty());
    }

    public static ThresholdSelection maxF1(boolean[] truth, double[] scores) {
        return maxF1(ScoredLabels.of(truth, scores));
    }

    public static ThresholdSelection maxF1(int[] truth, double[] scores) {
        return maxF1(ScoredLabels.of(truth, scores));
    }

    public boolean usedFallback() {
        return fallbackReason.isPresent();
    }

    /** Metrics on another split (test) at this threshold. */
    public BinaryMetrics applyTo(ScoredLabels test) {
        return BinaryMetrics.of(test, threshold);
    }
}
