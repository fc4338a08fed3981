package io.img2rec.core.config;

import java.util.Locale;

/**
 * One phase's optimiser.
 *
 * @param momentum used by {@link Kind#SGD_MOMENTUM} and {@link Kind#NESTEROV}; ignored by Adam
 */
public record OptimizerConfig(Kind kind, double learningRate, double momentum) {
    public OptimizerConfig {
        ConfigKeys.OPTIMIZER.check("optimizer", kind);
        ConfigKeys.LEARNING_RATE.check("learning_rate", learningRate);
        ConfigKeys.MOMENTUM.check("momentum", momentum);
    }

    /** The optimisers a phase can use, named in YAML by {@link #configName()}. */
    public enum Kind {
        /** Adam (Keras defaults: beta1 0.9, beta2 0.999, epsilon 1e-7 in Keras 2.2's K.epsilon()). */
        ADAM,
        /** Classical (heavy-ball) momentum SGD, as Keras {@code SGD(momentum=…, nesterov=False)}. */
        SGD_MOMENTUM,
        /** Nesterov momentum (DL4J's {@code Nesterovs}). */
        NESTEROV,
        /** Plain SGD. */
        SGD;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
