package io.img2rec.core.config;

import java.util.Locale;

/**
 * The classifier placed on the convolutional base.
 *
 * @param pooling     how the base's feature map becomes a vector
 * @param denseUnits  units of the hidden ReLU layer
 * @param dropout     Keras semantics: the fraction of activations DROPPED (DL4J's {@code dropOut(p)} takes
 *                    the fraction kept, {@code 1 - dropout})
 */
public record TopModelConfig(Pooling pooling, int denseUnits, double dropout) {
    public TopModelConfig {
        ConfigKeys.MODEL_TOP_POOLING.check(pooling);
        ConfigKeys.MODEL_TOP_DENSE_UNITS.check(denseUnits);
        ConfigKeys.MODEL_TOP_DROPOUT.check(dropout);
    }

    /** DL4J's retain probability for this dropout. */
    public double dl4jRetainProbability() {
        return 1.0 - dropout;
    }

    /** How the base's feature map becomes a vector: Keras {@code Flatten} or {@code GlobalAveragePooling2D}. */
    public enum Pooling {
        FLATTEN, GLOBAL_AVERAGE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
