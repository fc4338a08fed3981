package io.img2rec.train.loop;

import io.img2rec.core.config.TrainConfig;

/**
 * Per-label weights of negative and positive examples. {@code balanced} is scikit-learn's
 * {@code n / (2 · n_class)}; {@code none} weights every example 1, which is what the original effectively did
 * (Keras 2.2 ignored the array it passed as {@code class_weight}).
 *
 * <p>DL4J's {@code LossBinaryXENT(weights)} weights outputs, not classes, so the weights are applied per example
 * through the label mask, which multiplies each example's loss and gradient.
 */
public record ClassWeighting(double[] negative, double[] positive) {
    public ClassWeighting {
        if (negative.length != positive.length) {
            throw new IllegalArgumentException("one negative and one positive weight per label");
        }
        negative = negative.clone();
        positive = positive.clone();
    }

    /**
     * @param truth  truth[example][label] in {0, 1}, over the training examples
     */
    public static ClassWeighting of(TrainConfig.ClassWeights mode, float[][] truth, int labels) {
        double[] neg = new double[labels];
        double[] pos = new double[labels];
        for (int l = 0; l < labels; l++) {
            long positives = 0;
            for (float[] row : truth) {
                positives += row[l] > 0.5f ? 1 : 0;
            }
            long negatives = truth.length - positives;
            if (mode == TrainConfig.ClassWeights.NONE || positives == 0 || negatives == 0) {
                neg[l] = 1;
                pos[l] = 1;
            } else {
                neg[l] = truth.length / (2.0 * negatives);
                pos[l] = truth.length / (2.0 * positives);
            }
        }
        return new ClassWeighting(neg, pos);
    }

    public double weight(int label, boolean positiveExample) {
        return positiveExample ? positive[label] : negative[label];
    }

    /** The label mask for a batch: mask[i][l] = weight of example i's class for label l. */
    public float[] mask(float[][] batchTruth) {
        int labels = positive.length;
        float[] mask = new float[batchTruth.length * labels];
        for (int i = 0; i < batchTruth.length; i++) {
            for (int l = 0; l < labels; l++) {
                mask[i * labels + l] = (float) weight(l, batchTruth[i][l] > 0.5f);
            }
        }
        return mask;
    }
}
