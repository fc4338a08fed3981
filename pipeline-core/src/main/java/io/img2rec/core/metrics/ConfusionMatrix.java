package io.img2rec.core.metrics;

import java.util.Collection;

/**
 * Counts at one threshold, an example being predicted positive when {@code score >= threshold}. The derived
 * metrics are {@link MetricValue}s: undefined (with the zero denominator named) where scikit-learn would warn and
 * use {@code zero_division}; {@link MetricValue#orZero()} gives scikit-learn's {@code zero_division=0} number.
 *
 * @param tp true positives
 * @param fp false positives
 * @param tn true negatives
 * @param fn false negatives
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {

    public static final ConfusionMatrix EMPTY = new ConfusionMatrix(0, 0, 0, 0);

    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("counts must be non-negative: tp=" + tp + " fp=" + fp + " tn=" + tn
                    + " fn=" + fn);
        }
    }

    /** Counts for {@code score >= threshold}; {@code threshold} must not be NaN. */
    public static ConfusionMatrix of(ScoredLabels sample, double threshold) {
        requireThreshold(threshold);
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < sample.size(); i++) {
            boolean predicted = sample.score(i) >= threshold;
            if (sample.truth(i)) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** Element-wise sum of several matrices: the micro-average's pooled counts. */
    public static ConfusionMatrix sum(Collection<ConfusionMatrix> matrices) {
        ConfusionMatrix total = EMPTY;
        for (ConfusionMatrix m : matrices) {
            total = total.plus(m);
        }
        return total;
    }

    static void requireThreshold(double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN; it must be a number (score >= threshold is positive)");
        }
    }

    public ConfusionMatrix plus(ConfusionMatrix other) {
        return new ConfusionMatrix(tp + other.tp, fp + other.fp, tn + other.tn, fn + other.fn);
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    /** Actual positives, tp + fn: scikit-learn's {@code support} for the positive class. */
    public long support() {
        return tp + fn;
    }

    public long actualNegatives() {
        return tn + fp;
    }

    public long predictedPositives() {
        return tp + fp;
    }

    /** tp / (tp + fp); undefined when nothing is predicted positive. */
    public MetricValue precision() {
        return ratio(tp, tp + fp, "no predicted positives (tp + fp = 0)");
    }

    /** tp / (tp + fn); undefined when there are no positive examples. */
    public MetricValue recall() {
        return ratio(tp, tp + fn, "no positive examples (tp + fn = 0)");
    }

    /**
     * 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall; 0 (defined) when precision is undefined
     * but there are positives, undefined only when there are neither positives nor predicted positives.
     */
    public MetricValue f1() {
        return ratio(2 * tp, 2 * tp + fp + fn, "no positive examples and no predicted positives (tp + fp + fn = 0)");
    }

    /** (tp + tn) / total; undefined when there are no examples. */
    public MetricValue accuracy() {
        return ratio(tp + tn, total(), "no examples");
    }

    /** tn / (tn + fp); undefined when there are no negative examples. */
    public MetricValue specificity() {
        return ratio(tn, tn + fp, "no negative examples (tn + fp = 0)");
    }

    private static MetricValue ratio(long numerator, long denominator, String reasonWhenZero) {
        return denominator == 0 ? MetricValue.undefined(reasonWhenZero)
                : MetricValue.of((double) numerator / denominator);
    }
}
