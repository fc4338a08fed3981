package io.img2rec.core.sample;

import java.util.Arrays;

/**
 * A plain L2-regularised logistic regression trained by full-batch gradient descent on
 * standardised features: just enough of a classifier to tell whether a label is visible in the
 * pixels, with no DL4J in the way. Positives and negatives are weighted equally.
 */
final class PixelLogisticRegression {

    private final double[] mean;
    private final double[] scale;
    private final double[] weights;
    private double bias;

    private PixelLogisticRegression(int features) {
        mean = new double[features];
        scale = new double[features];
        weights = new double[features];
    }

    static PixelLogisticRegression train(double[][] features, boolean[] positive, int epochs,
                                         double learningRate, double l2) {
        int n = features.length;
        int d = features[0].length;
        PixelLogisticRegression model = new PixelLogisticRegression(d);
        model.fitStandardisation(features);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = model.standardise(features[i]);
        }
        int positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("need both classes to train, got " + positives + " positives of " + n);
        }
        double positiveWeight = 0.5 / positives;
        double negativeWeight = 0.5 / (n - positives);
        double[] gradient = new double[d];
        for (int epoch = 0; epoch < epochs; epoch++) {
            Arrays.fill(gradient, 0);
            double biasGradient = 0;
            for (int i = 0; i < n; i++) {
                double error = (sigmoid(model.score(x[i])) - (positive[i] ? 1 : 0))
                        * (positive[i] ? positiveWeight : negativeWeight);
                for (int j = 0; j < d; j++) {
                    gradient[j] += error * x[i][j];
                }
                biasGradient += error;
            }
            for (int j = 0; j < d; j++) {
                model.weights[j] -= learningRate * (gradient[j] + l2 * model.weights[j]);
            }
            model.bias -= learningRate * biasGradient;
        }
        return model;
    }

    boolean predict(double[] features) {
        return score(standardise(features)) > 0;
    }

    private void fitStandardisation(double[][] features) {
        int n = features.length;
        for (double[] row : features) {
            for (int j = 0; j < row.length; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : features) {
            for (int j = 0; j < row.length; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < scale.length; j++) {
            scale[j] = Math.sqrt(scale[j]) + 1e-6;
        }
    }

    private double[] standardise(double[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / scale[j];
        }
        return out;
    }

    private double score(double[] standardised) {
        double sum = bias;
        for (int j = 0; j < standardised.length; j++) {
            sum += weights[j] * standardised[j];
        }
        return sum;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
