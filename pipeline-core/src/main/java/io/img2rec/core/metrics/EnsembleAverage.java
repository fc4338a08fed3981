package io.img2rec.core.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Averages several models' scores for the same examples, optionally weighted: {@code sum_j w_j s_j[i] / sum_j w_j}.
 * A NaN score from any model with a positive weight makes that example's average NaN, which the metrics then
 * exclude and count; models with weight 0 are ignored.
 */
public final class EnsembleAverage {

    private EnsembleAverage() {
    }

    /** Equal weights. */
    public static double[] of(List<double[]> modelScores) {
        return of(modelScores, null);
    }

    /**
     * @param modelScores one score array per model, all the same length
     * @param weights     one finite, non-negative weight per model with a positive sum; {@code null} for equal
     */
    public static double[] of(List<double[]> modelScores, double[] weights) {
        Objects.requireNonNull(modelScores, "modelScores");
        if (modelScores.isEmpty()) {
            throw new IllegalArgumentException("need the scores of at least one model to average");
        }
        int models = modelScores.size();
        int n = Objects.requireNonNull(modelScores.get(0), "modelScores[0]").length;
        for (int j = 0; j < models; j++) {
            double[] scores = Objects.requireNonNull(modelScores.get(j), "modelScores[" + j + "]");
            if (scores.length != n) {
                throw new IllegalArgumentException("model " + j + " has " + scores.length + " scores but model 0 has "
                        + n + "; every model must score the same examples");
            }
        }
        double[] w = weights == null ? equalWeights(models) : weights.clone();
        if (w.length != models) {
            throw new IllegalArgumentException(w.length + " weights given for " + models + " models");
        }
        double total = 0;
        for (int j = 0; j < models; j++) {
            if (!(w[j] >= 0) || Double.isInfinite(w[j])) {
                throw new IllegalArgumentException("weight " + j + " = " + w[j] + "; weights must be finite and >= 0");
            }
            total += w[j];
        }
        if (total <= 0) {
            throw new IllegalArgumentException("weights sum to " + total + "; at least one must be positive");
        }
        double[] average = new double[n];
        for (int j = 0; j < models; j++) {
            if (w[j] == 0) {
                continue;
            }
            double[] scores = modelScores.get(j);
            for (int i = 0; i < n; i++) {
                average[i] += w[j] * scores[i];
            }
        }
        for (int i = 0; i < n; i++) {
            average[i] /= total;
        }
        return average;
    }

    private static double[] equalWeights(int models) {
        double[] w = new double[models];
        Arrays.fill(w, 1.0);
        return w;
    }
}
