package io.img2rec.core.config;

import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.Backbone;

import java.util.Locale;

/**
 * The network: base, input, pre-processing, top, weights and how much of the base is trained.
 *
 * @param weights          {@code imagenet}, {@code random}, or a path to a weights file
 * @param weightsFallback  what to do when ImageNet weights cannot be had
 * @param unfrozenLayers   the last N layers (counted as Keras counted them, the top being one) trained in phase 2
 */
public record ModelConfig(Backbone architecture, int inputSize, PixelPreprocessing preprocessing,
                          ResizeInterpolation resize, TensorLayout dataFormat, Heads heads, TopModelConfig top,
                          String weights, WeightsFallback weightsFallback, int unfrozenLayers) {
    public ModelConfig {
        ConfigKeys.MODEL_ARCHITECTURE.check(architecture);
        ConfigKeys.MODEL_INPUT_SIZE.check(inputSize);
        ConfigKeys.MODEL_PREPROCESSING.check(preprocessing);
        ConfigKeys.MODEL_RESIZE.check(resize);
        ConfigKeys.MODEL_DATA_FORMAT.check(dataFormat);
        ConfigKeys.MODEL_HEADS.check(heads);
        ConfigChecks.notNull("model.top", top);
        ConfigKeys.MODEL_WEIGHTS.check(weights);
        ConfigKeys.MODEL_WEIGHTS_FALLBACK.check(weightsFallback);
        ConfigKeys.MODEL_UNFROZEN_LAYERS.check(unfrozenLayers);
    }

    /** DL4J's {@code dropOut(p)} takes the probability of keeping: Keras Dropout 0.5 → 0.5, 0.25 → 0.75. */
    public double dl4jRetainProbabilityOfTop() {
        return top.dl4jRetainProbability();
    }

    public boolean imagenetWeights() {
        return weights.equalsIgnoreCase("imagenet");
    }

    public boolean randomWeights() {
        return weights.equalsIgnoreCase("random");
    }

    /** The original recipe for a base: the declared defaults ({@link ConfigKeys}). */
    public static ModelConfig defaults(Backbone backbone) {
        return PipelineConfig.defaults(backbone).model();
    }

    /** One binary model per label (the original's one-vs-rest) or one model with a sigmoid per label. */
    public enum Heads {
        PER_LABEL, MULTILABEL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What happens when {@code weights: imagenet} cannot be satisfied (offline, no cached file). */
    public enum WeightsFallback {
        /** Stop with a message saying how to supply the weights. */
        NONE,
        /** Go on from random weights and say so everywhere. */
        RANDOM;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
