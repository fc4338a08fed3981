package io.img2rec.eval.api;

/**
 * A test image the ensemble got most wrong for one label.
 *
 * @param path          image path relative to the dataset root
 * @param label         the label
 * @param truth         whether the image has the label
 * @param score         the ensemble's score
 * @param falsePositive {@code true} for a false positive, {@code false} for a false negative
 */
public record HardExample(String path, String label, boolean truth, double score, boolean falsePositive) {
}
