package io.img2rec.train;

import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.sample.SampleDatasetGenerator;

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
        return new TrainingJob(config, projectRoot, false, (network, model) -> "random (tests use random initialisation)");
    }
}
