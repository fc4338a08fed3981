package io.img2rec.core.metrics;

import java.util.List;
import java.util.Objects;

/**
 * Scores for one label on one split (one model's, or an ensemble's), with the image paths (sorted); scores may
 * be NaN.
 *
 * @param paths  image paths relative to the dataset root
 * @param truth  whether each image has the label
 * @param scores the probabilities, NaN for an image that failed or that a model of the ensemble did not score
 */
public record ScoredExamples(List<String> paths, boolean[] truth, double[] scores) {

    public ScoredExamples {
        paths = List.copyOf(paths);
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(scores, "scores");
        if (truth.length != paths.size() || scores.length != paths.size()) {
            throw new IllegalArgumentException(paths.size() + " paths, " + truth.length + " truth values and "
                    + scores.length + " scores; they must be one per image");
        }
        truth = truth.clone();
        scores = scores.clone();
    }

    public static ScoredExamples empty() {
        return new ScoredExamples(List.of(), new boolean[0], new double[0]);
    }

    public int size() {
        return paths.size();
    }

    public boolean truthAt(int i) {
        return truth[i];
    }

    public double scoreAt(int i) {
        return scores[i];
    }

    @Override
    public boolean[] truth() {
        return truth.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    /** For the metrics: NaN scores dropped and counted, described for undefined-value reasons. */
    public ScoredLabels toScoredLabels(String description) {
        return ScoredLabels.of(truth, scores).describedAs(description);
    }
}
