package io.img2rec.core.checkpoint;

import io.img2rec.core.provenance.RunProvenance;

import java.util.List;
import java.util.Map;

/**
 * What a checkpoint is and how it was made. Stored as {@code <zip name>.json} beside the model zip.
 *
 * @param formatVersion  version of this sidecar format
 * @param labels         the labels the model's outputs stand for, in output order (one for a per-label model)
 * @param kind           {@code best} or {@code last}
 * @param phase          {@code top} (phase 1) or {@code fine_tune} (phase 2)
 * @param epoch          1-based epoch within the phase
 * @param metrics        validation metrics of that epoch (auc, loss, accuracy, f1)
 * @param thresholds     decision threshold per label (max-F1 on the validation split; 0.5 when undefined)
 * @param modelSha256    SHA-256 of the zip this sidecar describes
 * @param contents       {@code full} (whole network, servable) or {@code head} (only the trainable part, for resume)
 * @param modelFile      the zip's file name in the same folder (set by {@link CheckpointStore#write})
 * @param resumeState    for "last" checkpoints: where training stood; null otherwise
 */
public record CheckpointSidecar(int formatVersion, String architecture, List<String> labels, String kind,
                                String contents, int inputSize, String preprocessing, String resize,
                                String dataFormat, String phase, int epoch, Map<String, Double> metrics,
                                Map<String, Double> thresholds, String modelFile, String modelSha256, RunProvenance provenance,
                                ResumeState resumeState) {
    public static final int FORMAT_VERSION = 1;

    public CheckpointSidecar {
        labels = labels == null ? List.of() : List.copyOf(labels);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
    }

    public CheckpointSidecar withModel(String file, String sha256) {
        return new CheckpointSidecar(formatVersion, architecture, labels, kind, contents, inputSize, preprocessing,
                resize, dataFormat, phase, epoch, metrics, thresholds, file, sha256, provenance, resumeState);
    }
}
