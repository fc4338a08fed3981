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
        ConfigChecks.notNull("model.architecture", architecture);
        ConfigChecks.inRange("model.input_size", inputSize, 16, 1024);
        ConfigChecks.notNull("model.preprocessing", preprocessing);
        ConfigChecks.notNull("model.resize", resize);
        ConfigChecks.notNull("model.data_format", dataFormat);
        ConfigChecks.notNull("model.heads", heads);
        ConfigChecks.notNull("model.top", top);
        ConfigChecks.notNull("model.weights", weights);
        if (weights.isBlank()) {
            throw new IllegalArgumentException("model.weights is empty: allowed imagenet, random or a path to a weights file");
        }
        ConfigChecks.notNull("model.weights_fallback", weightsFallback);
        ConfigChecks.inRange("model.unfrozen_layers", unfrozenLayers, 1, 1000);
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

    /** The original recipe for a base. */
    public static ModelConfig defaults(Backbone backbone) {
        return switch (backbone) {
            case VGG16 -> new ModelConfig(backbone, 150, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST,
                    TensorLayout.NCHW, Heads.PER_LABEL, new TopModelConfig(TopModelConfig.Pooling.FLATTEN, 256, 0.5),
                    "imagenet", WeightsFallback.NONE, 5);
            case RESNET50 -> new ModelConfig(backbone, 224, PixelPreprocessing.CAFFE, ResizeInterpolation.NEAREST,
                    TensorLayout.NCHW, Heads.PER_LABEL,
                    new TopModelConfig(TopModelConfig.Pooling.GLOBAL_AVERAGE, 512, 0.25),
                    "imagenet", WeightsFallback.NONE, 5);
            case TINY_CNN -> new ModelConfig(backbone, 32, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST,
                    TensorLayout.NHWC, Heads.PER_LABEL, new TopModelConfig(TopModelConfig.Pooling.GLOBAL_AVERAGE, 32, 0.25),
                    "random", WeightsFallback.NONE, 3);
        };
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
