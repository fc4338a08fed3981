package io.img2rec.eval.run;

import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.EpochRecord;
import io.img2rec.core.run.Prediction;
import io.img2rec.core.run.RunSummary;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished training run as evaluation sees it, read from its run folder by {@link RunReader} (the folder's files
 * and formats belong to {@link io.img2rec.core.run.RunLayout}).
 *
 * @param dir          the folder
 * @param configName   {@code name} from {@code config.yaml}, or the folder name when absent
 * @param labels       {@code labels} from {@code config.yaml}, or those seen in the predictions
 * @param datasetRoot  where prediction paths resolve: {@code run-summary.json}'s {@code datasetRoot}, else the
 *                     config's {@code data.root}
 * @param provenance   {@code provenance.json}, when present
 * @param predictions  every row of {@code predictions.csv}
 * @param epochs       every row of {@code metrics-epochs.csv} (empty when absent)
 * @param summary      {@code run-summary.json} ({@link RunSummary#empty()} when absent)
 * @param checkpoints  for each model and label in the predictions, whether its best checkpoint exists
 * @param notes        optional files that were missing or unreadable, and what that means
 */
public record FinishedRun(Path dir, String configName, List<String> labels, Optional<Path> datasetRoot,
                        Optional<RunProvenance> provenance, List<Prediction> predictions, List<EpochRecord> epochs,
                        RunSummary summary, List<CheckpointStatus> checkpoints, List<String> notes) {

    public FinishedRun {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(configName, "configName");
        labels = List.copyOf(labels);
        Objects.requireNonNull(datasetRoot, "datasetRoot");
        Objects.requireNonNull(provenance, "provenance");
        predictions = List.copyOf(predictions);
        epochs = List.copyOf(epochs);
        Objects.requireNonNull(summary, "summary");
        checkpoints = List.copyOf(checkpoints);
        notes = List.copyOf(notes);
    }

    /** Model names in order of first appearance in the predictions. */
    public List<String> models() {
        var models = new LinkedHashSet<String>();
        predictions.forEach(p -> models.add(p.model()));
        return List.copyOf(models);
    }

    /** The folder's own name, e.g. {@code 20240101-120000-vgg16}. */
    public String name() {
        Path fileName = dir.getFileName();
        return fileName == null ? dir.toString() : fileName.toString();
    }
}
