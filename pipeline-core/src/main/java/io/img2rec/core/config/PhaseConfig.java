package io.img2rec.core.config;

/** One training phase: how many epochs and with which optimiser. */
public record PhaseConfig(int epochs, OptimizerConfig optimizer) {
    public PhaseConfig {
        ConfigChecks.inRange("epochs", epochs, 0, 100_000);
        ConfigChecks.notNull("optimizer", optimizer);
    }
}
