package io.img2rec.eval.api;

import io.img2rec.core.metrics.BootstrapOptions;

import java.util.Objects;

/**
 * Settings of an evaluation.
 *
 * @param defaultThreshold the fixed threshold reported beside the tuned one (0.5)
 * @param bootstrap        seed, resamples and confidence of the AUC and F1 intervals
 * @param hardExamples     how many false positives and false negatives to keep per label
 * @param ensembleName     the name the averaged model is reported under
 */
public record EvaluationOptions(double defaultThreshold, BootstrapOptions bootstrap, int hardExamples,
                                String ensembleName) {

    public static final String ENSEMBLE = "ensemble";

    public EvaluationOptions {
        if (!(defaultThreshold >= 0 && defaultThreshold <= 1)) {
            throw new IllegalArgumentException("defaultThreshold = " + defaultThreshold + "; must be in [0, 1]");
        }
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (hardExamples < 0) {
            throw new IllegalArgumentException("hardExamples = " + hardExamples + "; must be >= 0");
        }
        if (ensembleName == null || ensembleName.isBlank()) {
            throw new IllegalArgumentException("ensembleName must not be blank");
        }
    }

    /** Threshold 0.5, 1000 bootstrap resamples at 95% with {@code seed}, 8 hard examples of each kind. */
    public static EvaluationOptions seeded(long seed) {
        return new EvaluationOptions(0.5, BootstrapOptions.seeded(seed), 8, ENSEMBLE);
    }
}
