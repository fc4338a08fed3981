package io.img2rec.train;

import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.sample.SampleDatasetGenerator;
import io.img2rec.core.weights.WeightsSource;
import io.img2rec.train.api.EpochSummary;
import io.img2rec.train.api.TrainingListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Tiny configurations and generated datasets that keep training tests fast. */
final class TinyRuns {
    private TinyRuns() {
    }

    static Path dataset(Path dir, int count, long seed) throws IOException {
        Path root = dir.resolve("dataset");
        new SampleDatasetGenerator(count, seed).generate(root);
        return root;
    }

    /** TinyCnn at 32 px, a couple of epochs per phase, two augmented copies; overrides win. */
    static PipelineConfig config(Path dataset, Path runs, Map<String, String> overrides) throws ConfigException {
        Map<String, String> all = new HashMap<>(Map.of(
                "model.architecture", "tiny_cnn",
                "data.root", dataset.toString(),
                "runs_dir", runs.toString(),
                "train.epochs", "2",
                "augment.copies", "2",
                "train.fine_tune.learning_rate", "0.01",
                "cache.ram_budget_mb", "64",
                "train.checkpoint_interval_seconds", "0"));
        all.putAll(overrides);
        return ConfigLoader.parse("name: tiny\n", "tiny.yaml", all);
    }

    static TrainingJob job(PipelineConfig config, Path projectRoot) {
        return job(config, projectRoot, TrainingListener.NONE);
    }

    static TrainingJob job(PipelineConfig config, Path projectRoot, TrainingListener listener) {
        return new TrainingJob(config, projectRoot, (network, model) -> RANDOM,
                TrainingHooks.silent().withListener(listener));
    }

    /** What the tests' weights step says: the seeded random initialisation is left as it is. */
    static final WeightsSource RANDOM = new WeightsSource(WeightsSource.Kind.RANDOM, "", "", 0,
            "random (tests use random initialisation)");

    /** Called after each epoch's checkpoints are written, with the model key, the phase's code and the epoch. */
    @FunctionalInterface
    interface AfterEpoch {
        void after(String model, String phase, int epoch);
    }

    static TrainingListener afterEpoch(AfterEpoch hook) {
        return new TrainingListener() {
            @Override
            public void epochFinished(EpochSummary epoch) {
                hook.after(epoch.key(), epoch.phase().code(), epoch.epoch());
            }
        };
    }
}
