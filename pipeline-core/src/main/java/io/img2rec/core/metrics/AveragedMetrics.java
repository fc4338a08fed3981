package io.img2rec.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Averages across labels.
 * <ul>
 *   <li><b>Micro</b>: the labels' confusion matrices are summed, then precision, recall and F1 are computed once.</li>
 *   <li><b>Macro</b> precision, recall, F1: the plain mean over all labels; a label whose value is undefined
 *       counts as 0 (scikit-learn's {@code zero_division=0}) and is named in {@link #notes()}.</li>
 *   <li><b>Macro</b> ROC AUC and AP: the mean over labels where they are defined; skipped labels are named in
 *       {@link #notes()}; undefined when no label has a defined value.</li>
 * </ul>
 *
 * @param labels                 how many labels were averaged
 * @param microConfusion         summed counts
 * @param microPrecision         precision of the summed counts
 * @param microRecall            recall of the summed counts
 * @param microF1                F1 of the summed counts
 * @param macroPrecision         mean per-label precision
 * @param macroRecall            mean per-label recall
 * @param macroF1                mean per-label F1
 * @param macroAuc               mean of the defined per-label ROC AUCs
 * @param macroAveragePrecision  mean of the defined per-label APs
 * @param notes                  labels counted as 0 or skipped, and why
 */
public record AveragedMetrics(int labels, ConfusionMatrix microConfusion, MetricValue microPrecision,
                              MetricValue microRecall, MetricValue microF1, MetricValue macroPrecision,
                              MetricValue macroRecall, MetricValue macroF1, MetricValue macroAuc,
                              MetricValue macroAveragePrecision, List<String> notes) {

    public AveragedMetrics {
        Objects.requireNonNull(microConfusion, "microConfusion");
        notes = List.copyOf(notes);
    }

    public static AveragedMetrics of(List<LabelReport> reports) {
        Objects.requireNonNull(reports, "reports");
        List<String> notes = new ArrayList<>();
        ConfusionMatrix micro = ConfusionMatrix.sum(reports.stream().map(r -> r.atThreshold().confusion()).toList());
        return new AveragedMetrics(reports.size(), micro,
                micro.precision(), micro.recall(), micro.f1(),
                meanCountingUndefinedAsZero(reports, "precision", r -> r.atThreshold().precision(), notes),
                meanCountingUndefinedAsZero(reports, "recall", r -> r.atThreshold().recall(), notes),
                meanCountingUndefinedAsZero(reports, "F1", r -> r.atThreshold().f1(), notes),
                meanOfDefined(reports, "ROC AUC", LabelReport::auc, notes),
                meanOfDefined(reports, "average precision", LabelReport::averagePrecision, notes),
                notes);
    }

    private static MetricValue meanCountingUndefinedAsZero(List<LabelReport> reports, String metric,
                                                           Function<LabelReport, MetricValue> value,
                                                           List<String> notes) {
        if (reports.isEmpty()) {
            return MetricValue.undefined("no labels to average");
        }
        double sum = 0;
        for (LabelReport r : reports) {
            MetricValue v = value.apply(r);
            if (!v.isDefined()) {
                notes.add("macro " + metric + " counts '" + r.label() + "' as 0: " + v.undefinedReason().get());
            }
            sum += v.orZero();
        }
        return MetricValue.of(sum / reports.size());
    }

    private static MetricValue meanOfDefined(List<LabelReport> reports, String metric,
                                             Function<LabelReport, MetricValue> value, List<String> notes) {
        double sum = 0;
        int defined = 0;
        for (LabelReport r : reports) {
            MetricValue v = value.apply(r);
            if (v.isDefined()) {
                sum += v.orElseThrow();
                defined++;
            } else {
                notes.add("macro " + metric + " skips '" + r.label() + "': " + v.undefinedReason().get());
            }
        }
        if (defined == 0) {
            return MetricValue.undefined(reports.isEmpty() ? "no labels to average"
                    : metric + " is undefined for all " + reports.size() + " labels");
        }
        return MetricValue.of(sum / defined);
    }
}
