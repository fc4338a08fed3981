package io.img2rec.train.api;

import io.img2rec.core.model.Backbone;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One trained model of a run at its best epoch: what {@code <run>/checkpoints/<architecture>-<name>-best.json}
 * describes, the checkpoint that serving loads.
 *
 * @param name         the model's name: its label for a per-label model, {@code multilabel} for one model of all
 *                     labels
 * @param labels       the labels its outputs stand for, in output order
 * @param architecture the base network
 * @param bestPhase    the phase of the best epoch
 * @param bestEpoch    1-based epoch of the best within {@code bestPhase}
 * @param metrics      the best epoch's metrics on the validation split
 * @param thresholds   per label, the decision threshold with the best F1 on the validation split, in [0, 1]
 * @param checkpoint   the servable checkpoint's sidecar file (the model zip it names lies beside it)
 */
public record BestModel(String name, List<String> labels, Backbone architecture, Phase bestPhase, int bestEpoch,
                        EpochMetrics metrics, Map<String, Double> thresholds, Path checkpoint) {
    public BestModel {
        Objects.requireNonNull(name, "name");
        labels = List.copyOf(labels);
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(bestPhase, "bestPhase");
        Objects.requireNonNull(metrics, "metrics");
        thresholds = Map.copyOf(thresholds);
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /**
     * @return the decision threshold of {@code label}
     * @throws IllegalArgumentException when the model has no output for {@code label}
     */
    public double threshold(String label) {
        Double threshold = thresholds.get(label);
        if (threshold == null) {
            throw new IllegalArgumentException("model " + name + " has no output for label '" + label
                    + "'; its labels are " + labels);
        }
        return threshold;
    }
}
