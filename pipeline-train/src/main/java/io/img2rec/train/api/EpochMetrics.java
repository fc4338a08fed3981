package io.img2rec.train.api;

import io.img2rec.core.metrics.MetricValue;

import java.util.Objects;

/**
 * What one epoch measured on the training and validation splits.
 *
 * @param trainLoss          mean (class-weighted) binary cross-entropy over the epoch's batches
 * @param validationLoss     unweighted binary cross-entropy on the validation split
 * @param validationAuc      mean ROC AUC over the model's outputs; undefined (with its reason) when no output has
 *                           both classes in validation
 * @param validationAccuracy accuracy at the 0.5 threshold, over outputs and images
 */
public record EpochMetrics(double trainLoss, double validationLoss, MetricValue validationAuc,
                           double validationAccuracy) {
    public EpochMetrics {
        Objects.requireNonNull(validationAuc, "validationAuc");
    }
}
