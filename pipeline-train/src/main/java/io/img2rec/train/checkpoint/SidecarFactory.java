package io.img2rec.train.checkpoint;

import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.train.loop.EpochResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the sidecars of one model's checkpoints: what every sidecar of the model shares (architecture, labels,
 * input geometry, pre-processing, provenance) is fixed here once; each checkpoint adds its slot, epoch and metrics.
 */
public final class SidecarFactory {
    /** The metric names a sidecar's {@code metrics} map uses. */
    public static final String VALIDATION_LOSS = "validation_loss";
    public static final String VALIDATION_AUC = "validation_auc";
    public static final String VALIDATION_ACCURACY = "validation_accuracy";
    public static final String TRAIN_LOSS = "train_loss";

    private final String architecture;
    private final List<String> labels;
    private final ModelConfig model;
    private final RunProvenance provenance;

    /**
     * @param architecture the architecture's config name
     * @param labels       the labels the model's outputs stand for, in output order
     */
    public SidecarFactory(String architecture, List<String> labels, ModelConfig model, RunProvenance provenance) {
        this.architecture = architecture;
        this.labels = List.copyOf(labels);
        this.model = model;
        this.provenance = provenance;
    }

    /**
     * The sidecar of a checkpoint taken after {@code result}'s epoch.
     *
     * @param thresholds decision thresholds per label (empty for checkpoints that are not the best)
     * @param state      where training stood, for {@link CheckpointSlot#LAST}; null otherwise
     */
    public CheckpointSidecar forEpoch(CheckpointSlot slot, EpochResult result, Map<String, Double> thresholds,
                                      ResumeState state) {
        return new CheckpointSidecar(CheckpointSidecar.FORMAT_VERSION, architecture, labels, slot.kind().code(),
                slot.contents().code(), model.inputSize(), model.preprocessing().configName(),
                model.resize().configName(), model.dataFormat().configName(), result.phase().code(), result.epoch(),
                metrics(result), thresholds, null, null, provenance, state);
    }

    /** The sidecar of the servable {@link CheckpointSlot#BEST}, from the best head's sidecar it is assembled from. */
    public static CheckpointSidecar servable(CheckpointSidecar bestHead) {
        CheckpointSlot slot = CheckpointSlot.BEST;
        return new CheckpointSidecar(bestHead.formatVersion(), bestHead.architecture(), bestHead.labels(),
                slot.kind().code(), slot.contents().code(), bestHead.inputSize(), bestHead.preprocessing(),
                bestHead.resize(), bestHead.dataFormat(), bestHead.phase(), bestHead.epoch(), bestHead.metrics(),
                bestHead.thresholds(), null, null, bestHead.provenance(), null);
    }

    /** Validation loss, AUC (left out when undefined), accuracy and training loss of an epoch. */
    static Map<String, Double> metrics(EpochResult result) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(VALIDATION_LOSS, result.validationLoss());
        if (!Double.isNaN(result.validationAuc())) {
            metrics.put(VALIDATION_AUC, result.validationAuc());
        }
        metrics.put(VALIDATION_ACCURACY, result.validationAccuracy());
        metrics.put(TRAIN_LOSS, result.trainLoss());
        return metrics;
    }
}
