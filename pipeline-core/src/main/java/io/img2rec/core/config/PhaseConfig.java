package io.img2rec.core.config;

/** One training phase: how many epochs and with which optimiser. */
public record PhaseConfig(int epochs, OptimizerConfig optimizer) {
    public PhaseConfig {
        ConfigKeys.EPOCHS.check("epochs", epochs);
        ConfigChecks.notNull("optimizer", optimizer);
    }
}
