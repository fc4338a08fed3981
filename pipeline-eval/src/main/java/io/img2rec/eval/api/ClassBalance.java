package io.img2rec.eval.api;

/**
 * Distinct images of one label on one split, by class.
 *
 * @param positives images with the label
 * @param negatives images without it
 */
public record ClassBalance(int positives, int negatives) {

    public int total() {
        return positives + negatives;
    }
}
