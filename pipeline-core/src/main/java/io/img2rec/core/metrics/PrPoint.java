package io.img2rec.core.metrics;

/**
 * One point of a precision-recall curve: predicting positive when {@code score >= threshold}.
 *
 * @param threshold the score cut; {@code +Infinity} for the anchor point (recall 0, precision 1 by convention)
 * @param precision tp / (tp + fp)
 * @param recall    tp / positives
 */
public record PrPoint(double threshold, double precision, double recall) {
}
