package io.img2rec.train.api;

import java.time.Duration;

/**
 * Told what a training run is doing, on the thread that runs it; every method does nothing unless overridden.
 * A method that throws stops the run there (as a crash would: the run folder can be resumed); to stop a run on
 * purpose, trip its {@link Cancellation} instead.
 *
 * <p>The {@code subject} of a stage is the architecture's config name for {@link Stage#CACHE} and
 * {@link Stage#FEATURES}, the model's key ({@code vgg16/hat}) for {@link Stage#TOP} and {@link Stage#FINE_TUNE}
 * (which run once per model), and the config's name for {@link Stage#DATASET}.
 */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** A stage begins for {@code subject}. */
    default void stageStarted(Stage stage, String subject) {
    }

    /** A stage ended for {@code subject} after {@code duration}. */
    default void stageFinished(Stage stage, String subject, Duration duration) {
    }

    /**
     * Images done within the current unit of work: the whole cache for {@link Stage#CACHE} and
     * {@link Stage#FEATURES}, the current epoch for the phases. Called after every batch.
     */
    default void progress(Stage stage, String subject, long done, long total) {
    }

    /** An epoch of one model ended and its checkpoints are written. */
    default void epochFinished(EpochSummary epoch) {
    }
}
