package io.img2rec.core.optim;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * Binary cross-entropy with Keras's {@code class_weight} semantics: the loss of output {@code l} of an example with
 * truth {@code y} is {@code w(l, y) · BCE(y, σ(z))}, with {@code w(l, 1) = positive[l]} and {@code w(l, 0) =
 * negative[l]}, and the pre-activation {@code z} left as it is.
 *
 * <p>Why not DL4J's label mask: a DL4J output layer multiplies its <em>pre-activation</em> by the mask as well as
 * the loss, so weights passed as the mask train {@code w·BCE(σ(w·z))} — a different model (issue 14 §0). Here the
 * weight is a function of the label itself, so no mask is needed and the forward pass is untouched.
 *
 * <p>Conventions as DL4J's {@code LossBinaryXENT}: the per-example score sums over outputs; {@code computeScore}
 * with {@code average} divides by the number of examples; gradients are per example (DL4J's updater divides by
 * the batch size). For a sigmoid output the gradient is the exact {@code w · (σ(z) − y)}; probabilities are clipped
 * to {@code [clipEps, 1 − clipEps]} for the score only, as Keras clips with its epsilon.
 *
 * <p>Serialised inside DL4J model configurations (its class name is stored), so checkpoints trained with it load
 * wherever pipeline-core is on the class path.
 */
public final class ClassWeightedBinaryXent implements ILossFunction {
    /** Keras's {@code K.epsilon()}. */
    public static final double DEFAULT_CLIP_EPS = 1e-7;

    @JsonProperty("negative")
    private double[] negative;
    @JsonProperty("positive")
    private double[] positive;
    @JsonProperty("clipEps")
    private double clipEps;

    /** For DL4J's JSON deserialisation. */
    public ClassWeightedBinaryXent() {
        this(new double[] {1}, new double[] {1});
    }

    public ClassWeightedBinaryXent(double[] negative, double[] positive) {
        this(negative, positive, DEFAULT_CLIP_EPS);
    }

    public ClassWeightedBinaryXent(@JsonProperty("negative") double[] negative,
                                   @JsonProperty("positive") double[] positive,
                                   @JsonProperty("clipEps") double clipEps) {
        if (negative == null || positive == null || negative.length != positive.length || negative.length == 0) {
            throw new IllegalArgumentException("one negative and one positive class weight per output, got "
                    + Arrays.toString(negative) + " and " + Arrays.toString(positive));
        }
        for (int l = 0; l < negative.length; l++) {
            if (!(negative[l] > 0) || !(positive[l] > 0) || Double.isInfinite(negative[l])
                    || Double.isInfinite(positive[l])) {
                throw new IllegalArgumentException("class weights must be finite and positive, output " + l + ": "
                        + negative[l] + " / " + positive[l]);
            }
        }
        if (!(clipEps > 0 && clipEps < 0.5)) {
            throw new IllegalArgumentException("clipEps must be in (0, 0.5), got " + clipEps);
        }
        this.negative = negative.clone();
        this.positive = positive.clone();
        this.clipEps = clipEps;
    }

    public double[] getNegative() {
        return negative.clone();
    }

    public double[] getPositive() {
        return positive.clone();
    }

    public double getClipEps() {
        return clipEps;
    }

    /** Per element weights {@code w(l, y)}: {@code y·(pos − neg) + neg}, for labels in {0, 1}. */
    private INDArray weights(INDArray labels) {
        if (labels.rank() != 2 || labels.size(1) != negative.length) {
            throw new IllegalArgumentException("labels of shape " + Arrays.toString(labels.shape()) + " for "
                    + negative.length + " class-weighted output(s)");
        }
        double[] difference = new double[negative.length];
        for (int l = 0; l < negative.length; l++) {
            difference[l] = positive[l] - negative[l];
        }
        INDArray binary = labels.gt(0.5).castTo(labels.dataType());
        return binary.mulRowVector(Nd4j.createFromArray(difference).castTo(labels.dataType()))
                .addiRowVector(Nd4j.createFromArray(negative).castTo(labels.dataType()));
    }

    private static void applyMask(INDArray to, INDArray mask) {
        if (mask == null) {
            return;
        }
        if (mask.rank() == 2 && mask.size(1) == 1 && to.size(1) != 1) {
            to.muliColumnVector(mask.castTo(to.dataType()));
        } else {
            to.muli(mask.castTo(to.dataType()));
        }
    }

    private INDArray elementScores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        p = Transforms.max(Transforms.min(p, 1 - clipEps, false), clipEps, false);
        INDArray y = labels.castTo(p.dataType());
        // −[y·log p + (1 − y)·log(1 − p)]
        INDArray score = y.mul(Transforms.log(p, true))
                .addi(y.rsub(1).muli(Transforms.log(p.rsub(1), false))).negi();
        score.muli(weights(labels).castTo(score.dataType()));
        applyMask(score, mask);
        return score;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = elementScores(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return elementScores(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = labels.castTo(p.dataType());
        INDArray w = weights(labels).castTo(p.dataType());
        INDArray gradient;
        if (activationFn instanceof ActivationSigmoid) {
            gradient = p.sub(y).muli(w); // d/dz of w·BCE(σ(z)): exact, no clipping
        } else {
            INDArray clipped = Transforms.max(Transforms.min(p, 1 - clipEps, true), clipEps, false);
            // dL/dp = w·(p − y) / (p·(1 − p))
            INDArray dLdp = clipped.sub(y).divi(clipped.mul(clipped.rsub(1))).muli(w);
            gradient = activationFn.backprop(preOutput.dup(), dLdp).getFirst();
        }
        applyMask(gradient, mask);
        return gradient;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "ClassWeightedBinaryXent";
    }

    @Override
    public String toString() {
        return "ClassWeightedBinaryXent(negative=" + Arrays.toString(negative) + ", positive="
                + Arrays.toString(positive) + ", clipEps=" + clipEps + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassWeightedBinaryXent other && Arrays.equals(negative, other.negative)
                && Arrays.equals(positive, other.positive) && clipEps == other.clipEps;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(negative) + Arrays.hashCode(positive)) + Double.hashCode(clipEps);
    }
}
