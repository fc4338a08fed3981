package io.img2rec.eval.api;

import io.img2rec.core.metrics.AveragedMetrics;

import java.util.Objects;

/**
 * One model's (or the ensemble's) macro and micro averages over the labels it scored, on the test split.
 *
 * @param model     the model's name
 * @param atDefault averages at the fixed threshold
 * @param atTuned   averages at each label's tuned threshold
 */
public record ModelAverages(String model, AveragedMetrics atDefault, AveragedMetrics atTuned) {

    public ModelAverages {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(atDefault, "atDefault");
        Objects.requireNonNull(atTuned, "atTuned");
    }
}
