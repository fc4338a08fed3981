package io.img2rec.core.metrics;

/**
 * One point of a ROC curve: predicting positive when {@code score >= threshold} gives these rates.
 *
 * @param threshold the score cut; {@code +Infinity} for the first point, where nothing is predicted positive
 * @param fpr       false positive rate fp / negatives
 * @param tpr       true positive rate (recall) tp / positives
 */
public record RocPoint(double threshold, double fpr, double tpr) {
}
