package io.img2rec.core.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Validated input for binary metrics: one truth value and one score per example, NaN scores removed and counted,
 * with an optional description (such as {@code "'hat' on the test split"}) that undefined-metric reasons quote.
 * Immutable; the arrays given are copied.
 */
public final class ScoredLabels {

    private final boolean[] truth;
    private final double[] scores;
    private final int excludedNaN;
    private final int positives;
    private final String description;

    private ScoredLabels(boolean[] truth, double[] scores, int excludedNaN, String description) {
        this.truth = truth;
        this.scores = scores;
        this.excludedNaN = excludedNaN;
        int p = 0;
        for (boolean t : truth) {
            if (t) {
                p++;
            }
        }
        this.positives = p;
        this.description = description;
    }

    /** Truth as booleans ({@code true} = positive). NaN scores are dropped with their truth value and counted. */
    public static ScoredLabels of(boolean[] truth, double[] scores) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(scores, "scores");
        requireSameLength(truth.length, scores.length);
        int nan = 0;
        for (double s : scores) {
            if (Double.isNaN(s)) {
                nan++;
            }
        }
        boolean[] keptTruth = new boolean[scores.length - nan];
        double[] keptScores = new double[scores.length - nan];
        int k = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isNaN(scores[i])) {
                keptTruth[k] = truth[i];
                keptScores[k] = scores[i] + 0.0; // turns -0.0 into 0.0 so equal scores sort as one group
                k++;
            }
        }
        return new ScoredLabels(keptTruth, keptScores, nan, "");
    }

    /** Truth as 0/1 integers; any other value is rejected. */
    public static ScoredLabels of(int[] truth, double[] scores) {
        Objects.requireNonNull(truth, "truth");
        boolean[] asBoolean = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 0 && truth[i] != 1) {
                throw new IllegalArgumentException("truth[" + i + "] = " + truth[i] + "; binary truth must be 0 or 1");
            }
            asBoolean[i] = truth[i] == 1;
        }
        return of(asBoolean, scores);
    }

    private static void requireSameLength(int truthLength, int scoresLength) {
        if (truthLength != scoresLength) {
            throw new IllegalArgumentException("truth has " + truthLength + " values but scores has " + scoresLength
                    + "; they must have one entry per example");
        }
    }

    /** The same examples, described (e.g. {@code "'hat' on the test split"}) for undefined-metric reasons. */
    public ScoredLabels describedAs(String description) {
        Objects.requireNonNull(description, "description");
        return new ScoredLabels(truth, scores, excludedNaN, description.strip());
    }

    /** Examples kept (NaN scores excluded). */
    public int size() {
        return truth.length;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return truth.length - positives;
    }

    /** How many examples were dropped because their score was NaN. */
    public int excludedNaN() {
        return excludedNaN;
    }

    public boolean truth(int i) {
        return truth[i];
    }

    public double score(int i) {
        return scores[i];
    }

    public Optional<String> description() {
        return description.isEmpty() ? Optional.empty() : Optional.of(description);
    }

    /** E.g. {@code "3 of 50 scores were not numbers (failed images) and were excluded"}, when any were. */
    public Optional<String> nanNote() {
        if (excludedNaN == 0) {
            return Optional.empty();
        }
        return Optional.of(excludedNaN + " of " + (excludedNaN + size()) + " scores were not numbers (failed images) and were excluded"
                + about());
    }

    /** Why a metric needing both classes is undefined here, if it is. */
    Optional<String> missingClassReason() {
        if (size() == 0) {
            return Optional.of(emptyReason());
        }
        if (positives == 0) {
            return Optional.of("no positive examples" + about() + " (" + negatives() + " negatives)");
        }
        if (positives == size()) {
            return Optional.of("no negative examples" + about() + " (" + positives + " positives)");
        }
        return Optional.empty();
    }

    /** Why a metric needing positives is undefined here, if it is. */
    Optional<String> missingPositivesReason() {
        if (size() == 0) {
            return Optional.of(emptyReason());
        }
        if (positives == 0) {
            return Optional.of("no positive examples" + about() + " (" + negatives() + " negatives)");
        }
        return Optional.empty();
    }

    private String emptyReason() {
        return "no examples" + about()
                + (excludedNaN > 0 ? " (all " + excludedNaN + " scores were not numbers)" : "");
    }

    /** {@code ""} or {@code " for <description>"}. */
    String about() {
        return description.isEmpty() ? "" : " for " + description;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredLabels other && excludedNaN == other.excludedNaN
                && description.equals(other.description)
                && Arrays.equals(truth, other.truth) && Arrays.equals(scores, other.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(truth), Arrays.hashCode(scores), excludedNaN, description);
    }

    @Override
    public String toString() {
        return "ScoredLabels[" + size() + " examples, " + positives + " positive, " + excludedNaN + " NaN excluded"
                + about() + "]";
    }
}
