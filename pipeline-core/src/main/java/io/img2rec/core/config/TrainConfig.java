package io.img2rec.core.config;

import java.util.Locale;

/**
 * Both training phases and what they share.
 *
 * @param top                   phase 1: the top model on cached bottleneck features
 * @param fineTune              phase 2: the last N layers unfrozen
 * @param earlyStoppingPatience epochs without improvement of the checkpoint metric before a phase stops; 0 = never
 * @param checkpointIntervalSeconds the "last" checkpoint (and the best found since) is written when at least this
 *                              long has passed since the previous one, and always at the end of a phase; 0 = after
 *                              every epoch. A resumed run replays the epochs after the last checkpoint exactly.
 */
public record TrainConfig(int batchSize, ClassWeights classWeights, CheckpointMetric checkpointMetric,
                          int earlyStoppingPatience, int checkpointIntervalSeconds, PhaseConfig top,
                          PhaseConfig fineTune) {
    public TrainConfig {
        ConfigKeys.TRAIN_BATCH_SIZE.check(batchSize);
        ConfigKeys.TRAIN_CLASS_WEIGHTS.check(classWeights);
        ConfigKeys.TRAIN_CHECKPOINT_METRIC.check(checkpointMetric);
        ConfigKeys.TRAIN_EARLY_STOPPING_PATIENCE.check(earlyStoppingPatience);
        ConfigKeys.TRAIN_CHECKPOINT_INTERVAL_SECONDS.check(checkpointIntervalSeconds);
        ConfigChecks.notNull("train.top", top);
        ConfigChecks.notNull("train.fine_tune", fineTune);
    }

    /** The declared defaults ({@link ConfigKeys}). */
    public static TrainConfig defaults() {
        return PipelineConfig.defaults(io.img2rec.core.model.Backbone.VGG16).train();
    }

    /** {@code balanced}: n / (2 · n_class) per example, as scikit-learn; {@code none}: the original's effective behaviour. */
    public enum ClassWeights {
        BALANCED, NONE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validation metric that picks the "best" checkpoint. */
    public enum CheckpointMetric {
        AUC, LOSS, ACCURACY;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
