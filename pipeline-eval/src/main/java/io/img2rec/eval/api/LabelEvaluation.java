package io.img2rec.eval.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One label: each model's evaluation, then the ensemble's (when any model scored the label), and the ensemble's
 * worst test mistakes at its tuned threshold.
 *
 * @param label          the label
 * @param models         the models in order, the ensemble last
 * @param falsePositives negatives with the highest scores at or above the threshold, highest first
 * @param falseNegatives positives with the lowest scores below the threshold, lowest first
 */
public record LabelEvaluation(String label, List<ModelEvaluation> models, List<HardExample> falsePositives,
                              List<HardExample> falseNegatives) {

    public LabelEvaluation {
        Objects.requireNonNull(label, "label");
        models = List.copyOf(models);
        falsePositives = List.copyOf(falsePositives);
        falseNegatives = List.copyOf(falseNegatives);
    }

    public Optional<ModelEvaluation> ensemble() {
        return models.stream().filter(ModelEvaluation::ensemble).findFirst();
    }

    public Optional<ModelEvaluation> model(String name) {
        return models.stream().filter(m -> m.model().equals(name)).findFirst();
    }
}
