package io.img2rec.eval.api;

import io.img2rec.core.metrics.ScoredExamples;
import io.img2rec.core.metrics.BootstrapInterval;
import io.img2rec.core.metrics.LabelReport;
import io.img2rec.core.metrics.ThresholdSelection;

import java.util.List;
import java.util.Objects;

/**
 * One model (or the ensemble) on one label: everything is measured on the <b>test</b> split except the threshold,
 * which is chosen on the validation split (max F1) and then applied to test.
 *
 * @param model        the model's name, or the ensemble's
 * @param label        the label
 * @param ensemble     whether this is the average of the models
 * @param atDefault    test metrics at the fixed threshold (0.5)
 * @param atTuned      test metrics at {@code threshold.threshold()}
 * @param threshold    the threshold chosen on validation
 * @param aucInterval  bootstrap interval of the test ROC AUC
 * @param f1Interval   bootstrap interval of the test F1 at the tuned threshold
 * @param validation   the validation scores the threshold was chosen on
 * @param test         the test scores everything else is measured on
 * @param notes        remarks the report prints beside the numbers
 */
public record ModelEvaluation(String model, String label, boolean ensemble, LabelReport atDefault,
                              LabelReport atTuned, ThresholdSelection threshold, BootstrapInterval aucInterval,
                              BootstrapInterval f1Interval, ScoredExamples validation, ScoredExamples test,
                              List<String> notes) {

    public ModelEvaluation {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(atDefault, "atDefault");
        Objects.requireNonNull(atTuned, "atTuned");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(aucInterval, "aucInterval");
        Objects.requireNonNull(f1Interval, "f1Interval");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        notes = List.copyOf(notes);
    }
}
