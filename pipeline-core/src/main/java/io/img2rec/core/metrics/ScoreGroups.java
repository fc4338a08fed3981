package io.img2rec.core.metrics;

import java.util.Arrays;

/**
 * The examples of a {@link ScoredLabels} grouped by distinct score, highest score first, with the number of
 * positives and negatives in each group. Every curve and rank statistic in this package is a sweep over these
 * groups, so tied scores are always handled together.
 */
final class ScoreGroups {

    /** Distinct scores, strictly decreasing. */
    final double[] thresholds;
    /** Index into {@link #thresholds} of each example's score. */
    final int[] groupOf;
    final long[] positives;
    final long[] negatives;

    private ScoreGroups(double[] thresholds, int[] groupOf, long[] positives, long[] negatives) {
        this.thresholds = thresholds;
        this.groupOf = groupOf;
        this.positives = positives;
        this.negatives = negatives;
    }

    static ScoreGroups of(ScoredLabels sample) {
        int n = sample.size();
        double[] ascending = new double[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = sample.score(i);
        }
        Arrays.sort(ascending);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || ascending[i] != ascending[distinct - 1]) {
                ascending[distinct++] = ascending[i];
            }
        }
        double[] distinctAscending = Arrays.copyOf(ascending, distinct);
        double[] thresholds = new double[distinct];
        for (int g = 0; g < distinct; g++) {
            thresholds[g] = distinctAscending[distinct - 1 - g];
        }
        int[] groupOf = new int[n];
        long[] positives = new long[distinct];
        long[] negatives = new long[distinct];
        for (int i = 0; i < n; i++) {
            int g = distinct - 1 - Arrays.binarySearch(distinctAscending, sample.score(i));
            groupOf[i] = g;
            if (sample.truth(i)) {
                positives[g]++;
            } else {
                negatives[g]++;
            }
        }
        return new ScoreGroups(thresholds, groupOf, positives, negatives);
    }

    int size() {
        return thresholds.length;
    }

    /** Number of leading groups whose score is {@code >= threshold}, i.e. the groups predicted positive. */
    int groupsAtOrAbove(double threshold) {
        int g = 0;
        while (g < thresholds.length && thresholds[g] >= threshold) {
            g++;
        }
        return g;
    }

    /**
     * Mann-Whitney AUC from per-group counts (groups in decreasing score order): the share of positive-negative
     * pairs ranked correctly, a tied pair counting one half. Equals the average-rank formula
     * {@code (R+ - P(P+1)/2) / (P N)}. Needs at least one positive and one negative.
     */
    static double mannWhitneyAuc(long[] positives, long[] negatives) {
        long twiceU = 0;
        long negativesBelow = 0;
        long totalPositives = 0;
        for (int g = positives.length - 1; g >= 0; g--) {
            twiceU += positives[g] * (2 * negativesBelow + negatives[g]);
            negativesBelow += negatives[g];
            totalPositives += positives[g];
        }
        return twiceU / (2.0 * totalPositives * negativesBelow);
    }

    /** F1 = 2tp / (2tp + fp + fn) when the first {@code predictedGroups} groups are predicted positive. */
    static double f1(long[] positives, long[] negatives, int predictedGroups, long totalPositives) {
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < predictedGroups; g++) {
            tp += positives[g];
            fp += negatives[g];
        }
        long denominator = 2 * tp + fp + (totalPositives - tp);
        return 2.0 * tp / denominator;
    }
}
