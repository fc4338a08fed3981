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
        ConfigChecks.notNull("model.top.pooling", pooling);
        ConfigChecks.inRange("model.top.dense_units", denseUnits, 1, 65_536);
        ConfigChecks.inRange("model.top.dropout", dropout, 0.0, 0.95);
    }

    /** DL4J's retain probability for this dropout. */
    public double dl4jRetainProbability() {
        return 1.0 - dropout;
    }

    public enum Pooling {
        FLATTEN, GLOBAL_AVERAGE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
