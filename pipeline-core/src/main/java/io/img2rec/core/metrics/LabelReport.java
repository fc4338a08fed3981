package io.img2rec.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every metric for one label on one split: ROC curve and AUC, precision-recall curve and AP, and the thresholded
 * metrics. Undefined values carry reasons that name the label.
 *
 * @param label       the label's name
 * @param positives   positive examples used
 * @param negatives   negative examples used
 * @param excludedNaN examples dropped for NaN scores
 * @param roc         ROC curve and AUC
 * @param pr          precision-recall curve and AP
 * @param atThreshold thresholded metrics
 */
public record LabelReport(String label, int positives, int negatives, int excludedNaN, RocCurve roc, PrCurve pr,
                          BinaryMetrics atThreshold) {

    public LabelReport {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(roc, "roc");
        Objects.requireNonNull(pr, "pr");
        Objects.requireNonNull(atThreshold, "atThreshold");
    }

    /**
     * Metrics for {@code label}; if {@code sample} has no description it is described as {@code 'label'} so that
     * reasons read e.g. {@code "no positive examples for 'hat' (12 negatives)"}.
     */
    public static LabelReport of(String label, ScoredLabels sample, double threshold) {
        Objects.requireNonNull(label, "label");
        ScoredLabels described = sample.description().isPresent() ? sample : sample.describedAs("'" + label + "'");
        return new LabelReport(label, described.positives(), described.negatives(), described.excludedNaN(),
                RocCurve.of(described), PrCurve.of(described), BinaryMetrics.of(described, threshold));
    }

    public static LabelReport of(String label, boolean[] truth, double[] scores, double threshold) {
        return of(label, ScoredLabels.of(truth, scores), threshold);
    }

    public MetricValue auc() {
        return roc.auc();
    }

    public MetricValue averagePrecision() {
        return pr.averagePrecision();
    }

    /** Remarks a report should print beside the numbers (currently: NaN scores excluded). */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (excludedNaN > 0) {
            notes.add(excludedNaN + " of " + (excludedNaN + positives + negatives)
                    + " scores were not numbers (failed images) and were excluded for '" + label + "'");
        }
        return List.copyOf(notes);
    }
}
