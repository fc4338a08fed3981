package io.img2rec.train.loop;

import io.img2rec.train.api.Phase;

/**
 * What one epoch of one phase measured.
 *
 * @param validationAuc mean ROC AUC over the head's outputs on the validation split (NaN only when undefined,
 *                      e.g. one class in validation; then the checkpoint metric falls back to loss)
 */
public record EpochResult(Phase phase, int epoch, double trainLoss, double validationLoss, double validationAuc,
                          double validationAccuracy, double seconds, double imagesPerSecond) {
}
