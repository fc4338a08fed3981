package io.img2rec.core.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A percentile bootstrap confidence interval for ROC AUC or F1.
 *
 * <p>Each resample draws {@code n} examples with replacement ({@link SplittableRandom} seeded with
 * {@link BootstrapOptions#seed()}). A resample that holds only one class is skipped and counted in
 * {@link #skippedResamples()} (AUC is undefined there, and F1 would not reflect the model). The interval's ends are
 * the {@code (1 - confidence) / 2} and {@code (1 + confidence) / 2} quantiles of the remaining statistics, with
 * linear interpolation between order statistics (NumPy's default {@code percentile} method). The interval is
 * undefined, with a reason, when the full sample lacks a class or fewer than two resamples remain.
 *
 * @param metric           {@code "ROC AUC"} or {@code "F1"}
 * @param estimate         the metric on the full sample
 * @param lower            lower end
 * @param upper            upper end
 * @param options          seed, resamples and confidence used
 * @param skippedResamples resamples skipped for holding a single class
 */
public record BootstrapInterval(String metric, MetricValue estimate, MetricValue lower, MetricValue upper,
                                BootstrapOptions options, int skippedResamples) {

    public BootstrapInterval {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(upper, "upper");
        Objects.requireNonNull(options, "options");
    }

    public static BootstrapInterval rocAuc(ScoredLabels sample, long seed) {
        return rocAuc(sample, BootstrapOptions.seeded(seed));
    }

    public static BootstrapInterval rocAuc(ScoredLabels sample, BootstrapOptions options) {
        return run("ROC AUC", sample, ScoreGroups.of(sample), options, RocAuc.of(sample),
                ScoreGroups::mannWhitneyAuc);
    }

    /** F1 at {@code score >= threshold}. */
    public static BootstrapInterval f1(ScoredLabels sample, double threshold, long seed) {
        return f1(sample, threshold, BootstrapOptions.seeded(seed));
    }

    public static BootstrapInterval f1(ScoredLabels sample, double threshold, BootstrapOptions options) {
        ConfusionMatrix.requireThreshold(threshold);
        MetricValue estimate = ConfusionMatrix.of(sample, threshold).f1().withReasonSuffix(sample.about());
        ScoreGroups groups = ScoreGroups.of(sample);
        int predictedGroups = groups.groupsAtOrAbove(threshold);
        return run("F1", sample, groups, options, estimate, (pos, neg) -> {
            long totalPositives = 0;
            for (long p : pos) {
                totalPositives += p;
            }
            return ScoreGroups.f1(pos, neg, predictedGroups, totalPositives);
        });
    }

    public boolean isDefined() {
        return lower.isDefined();
    }

    public int resamples() {
        return options.resamples();
    }

    /** A statistic of per-group positive and negative counts, each class present at least once. */
    private interface Statistic {
        double compute(long[] positives, long[] negatives);
    }

    private static BootstrapInterval run(String metric, ScoredLabels sample, ScoreGroups groups,
                                         BootstrapOptions options, MetricValue estimate, Statistic statistic) {
        var reason = sample.missingClassReason();
        if (reason.isPresent()) {
            MetricValue undefined = MetricValue.undefined("cannot bootstrap " + metric + ": " + reason.get());
            return new BootstrapInterval(metric, estimate, undefined, undefined, options, 0);
        }
        int n = sample.size();
        boolean[] truth = new boolean[n];
        for (int i = 0; i < n; i++) {
            truth[i] = sample.truth(i);
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        long[] pos = new long[groups.size()];
        long[] neg = new long[groups.size()];
        double[] values = new double[options.resamples()];
        int kept = 0;
        int skipped = 0;
        for (int r = 0; r < options.resamples(); r++) {
            Arrays.fill(pos, 0);
            Arrays.fill(neg, 0);
            int drawnPositives = 0;
            for (int k = 0; k < n; k++) {
                int i = random.nextInt(n);
                if (truth[i]) {
                    pos[groups.groupOf[i]]++;
                    drawnPositives++;
                } else {
                    neg[groups.groupOf[i]]++;
                }
            }
            if (drawnPositives == 0 || drawnPositives == n) {
                skipped++;
                continue;
            }
            values[kept++] = statistic.compute(pos, neg);
        }
        if (kept < 2) {
            MetricValue undefined = MetricValue.undefined("only " + kept + " of " + options.resamples()
                    + " resamples held both classes" + sample.about());
            return new BootstrapInterval(metric, estimate, undefined, undefined, options, skipped);
        }
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        double alpha = (1 - options.confidence()) / 2;
        return new BootstrapInterval(metric, estimate, MetricValue.of(quantile(sorted, alpha)),
                MetricValue.of(quantile(sorted, 1 - alpha)), options, skipped);
    }

    /** Linear interpolation between order statistics at position {@code (m - 1) q} of a sorted array. */
    static double quantile(double[] sorted, double q) {
        double position = (sorted.length - 1) * q;
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
