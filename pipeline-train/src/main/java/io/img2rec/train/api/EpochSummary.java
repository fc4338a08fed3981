package io.img2rec.train.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One finished epoch of one model, told to {@link TrainingListener#epochFinished} once its checkpoints are written.
 *
 * @param architecture    the architecture's config name, e.g. {@code vgg16}
 * @param model           the model's name: its label, or {@code multilabel}
 * @param labels          the labels the model's outputs stand for
 * @param phase           the phase the epoch belongs to
 * @param epoch           1-based epoch within the phase
 * @param phaseEpochs     epochs the phase is configured for (early stopping may end it sooner)
 * @param metrics         the epoch's losses, AUC and accuracy
 * @param duration        training plus validation time of the epoch
 * @param imagesPerSecond training images per second of the epoch
 * @param best            the epoch is the best so far over both phases (the model's best checkpoint now holds it)
 */
public record EpochSummary(String architecture, String model, List<String> labels, Phase phase, int epoch,
                           int phaseEpochs, EpochMetrics metrics, Duration duration, double imagesPerSecond,
                           boolean best) {
    public EpochSummary {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(model, "model");
        labels = List.copyOf(labels);
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(duration, "duration");
    }

    /** @return {@code <architecture>/<model>}, e.g. {@code vgg16/hat}, as in the logs */
    public String key() {
        return architecture + "/" + model;
    }
}
