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
        ConfigChecks.inRange("train.batch_size", batchSize, 1, 4096);
        ConfigChecks.notNull("train.class_weights", classWeights);
        ConfigChecks.notNull("train.checkpoint_metric", checkpointMetric);
        ConfigChecks.inRange("train.early_stopping_patience", earlyStoppingPatience, 0, 100_000);
        ConfigChecks.inRange("train.checkpoint_interval_seconds", checkpointIntervalSeconds, 0, 86_400);
        ConfigChecks.notNull("train.top", top);
        ConfigChecks.notNull("train.fine_tune", fineTune);
    }

    public static TrainConfig defaults() {
        return new TrainConfig(16, ClassWeights.BALANCED, CheckpointMetric.AUC, 0, 60,
                new PhaseConfig(50, new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0.0)),
                new PhaseConfig(50, new OptimizerConfig(OptimizerConfig.Kind.SGD_MOMENTUM, 5e-5, 0.9)));
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
