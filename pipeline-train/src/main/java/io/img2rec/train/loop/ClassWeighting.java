package io.img2rec.train.loop;

import io.img2rec.core.config.TrainConfig;
import io.img2rec.core.optim.ClassWeightedBinaryXent;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * Per-label weights of negative and positive examples. {@code balanced} is scikit-learn's
 * {@code n / (2 · n_class)}; {@code none} weights every example 1, which is what the original effectively did
 * (Keras 2.2 ignored the array it passed as {@code class_weight}).
 *
 * <p>Applied as Keras applies {@code class_weight}: each example's loss is {@code w · BCE(σ(z))} with the logit
 * {@code z} unscaled ({@link ClassWeightedBinaryXent}, set on the head's output layer by {@link #applyTo}). Not
 * through DL4J's label mask: an output layer multiplies its pre-activation by the mask too, which trained
 * {@code w · BCE(σ(w·z))} until issue 14 §0. DL4J's {@code LossBinaryXENT(weights)} weights outputs, not classes.
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

    /** The loss that applies these weights to a sigmoid binary cross-entropy output. */
    public ClassWeightedBinaryXent loss() {
        return new ClassWeightedBinaryXent(negative, positive);
    }

    /**
     * Makes every output layer of {@code graph} train with these class weights (idempotent; a resumed head gets
     * them again). Only sigmoid binary cross-entropy outputs can be class-weighted; another loss is refused.
     */
    public void applyTo(ComputationGraph graph) {
        for (int o = 0; o < graph.getNumOutputArrays(); o++) {
            Layer layer = graph.getOutputLayer(o);
            if (!(layer.conf().getLayer() instanceof BaseOutputLayer conf)) {
                throw new IllegalStateException("output " + layer.conf().getLayer().getLayerName()
                        + " is not an output layer with a loss");
            }
            ILossFunction current = conf.getLossFn();
            if (!(current instanceof LossBinaryXENT || current instanceof ClassWeightedBinaryXent)) {
                throw new IllegalStateException("class weights need a binary cross-entropy output, "
                        + conf.getLayerName() + " has " + current);
            }
            if (conf.getNOut() != positive.length) {
                throw new IllegalStateException(conf.getLayerName() + " has " + conf.getNOut() + " outputs, the class "
                        + "weights are for " + positive.length);
            }
            conf.setLossFn(loss());
        }
    }
}
