package io.img2rec.eval.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an evaluation measured; rendering lives in {@code io.img2rec.eval.report}.
 *
 * @param labels    labels in report order
 * @param models    the individual models, in order (the ensemble is not among them)
 * @param perLabel  one entry per label, in {@code labels} order
 * @param averages  per model, then the ensemble: macro and micro averages over labels
 * @param counts    images per split and class balance per label
 * @param options   the settings used
 * @param notes     remarks about the whole evaluation (renamed models, labels without predictions…)
 */
public record EvaluationResult(List<String> labels, List<String> models, List<LabelEvaluation> perLabel,
                               List<ModelAverages> averages, SplitCounts counts, EvaluationOptions options,
                               List<String> notes) {

    public EvaluationResult {
        labels = List.copyOf(labels);
        models = List.copyOf(models);
        perLabel = List.copyOf(perLabel);
        averages = List.copyOf(averages);
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(options, "options");
        notes = List.copyOf(notes);
    }

    public Optional<LabelEvaluation> label(String label) {
        return perLabel.stream().filter(l -> l.label().equals(label)).findFirst();
    }
}
