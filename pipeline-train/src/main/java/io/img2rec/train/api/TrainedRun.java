package io.img2rec.train.api;

import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.weights.WeightsSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What a finished training run produced. Everything here is also in the run folder, which evaluation and serving
 * read: resolved {@code config.yaml}, {@code provenance.json}, {@code manifest.csv}, {@code predictions.csv},
 * {@code metrics-epochs.csv}, {@code run-summary.json} and {@code checkpoints/}.
 *
 * @param runFolder      the run's folder, {@code <runs_dir>/<yyyyMMdd-HHmmss>-<config name>}
 * @param labels         the run's labels, in config order
 * @param models         the best model of each label (one model for all labels with {@code model.heads: multilabel})
 * @param weights        where the base's starting weights came from ({@link WeightsSource.Kind#RANDOM} for a random
 *                       start: its scores say nothing about the real recipe)
 * @param provenance     config hash, manifest hash, seed, git commit, library versions and backend of the run
 * @param durations      time per stage that ran (phases summed over the models); a resumed run counts only what it
 *                       ran itself
 * @param total          the whole call's time
 * @param imagesSkipped  images of the manifest that could not be loaded (path → reason); their models score them
 *                       as missing
 */
public record TrainedRun(Path runFolder, List<String> labels, List<BestModel> models, WeightsSource weights,
                         RunProvenance provenance, Map<Stage, Duration> durations, Duration total,
                         Map<String, String> imagesSkipped) {
    public TrainedRun {
        Objects.requireNonNull(runFolder, "runFolder");
        labels = List.copyOf(labels);
        models = List.copyOf(models);
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(provenance, "provenance");
        durations = durations.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(durations));
        Objects.requireNonNull(total, "total");
        imagesSkipped = Map.copyOf(imagesSkipped);
    }

    /**
     * @return the model whose outputs include {@code label}
     * @throws NoSuchElementException when no model of the run has that label
     */
    public BestModel model(String label) {
        return models.stream().filter(m -> m.labels().contains(label)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("the run " + runFolder + " has no model for label '"
                        + label + "'; its labels are " + labels));
    }

    /** @return true when the base started from random initialisation rather than pretrained weights */
    public boolean randomWeights() {
        return !weights.pretrained();
    }
}
