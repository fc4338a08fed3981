package io.img2rec.train.api;

import io.img2rec.core.sample.SampleDatasetGenerator;
import io.img2rec.core.weights.WeightsSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training through the public API only: a config file, a generated dataset, a listener and a cancellation. */
class TrainingApiTest {
    /** TinyCnn at 32 px from random weights, 2 + 2 epochs, two augmented copies, a checkpoint after every epoch. */
    static final String TINY_YAML = """
            name: tiny-api
            labels: [hat, eyewear]
            model:
              architecture: tiny_cnn
              weights: random
            train:
              top:
                epochs: 2
              fine_tune:
                epochs: 2
                learning_rate: 0.01
              checkpoint_interval_seconds: 0
            augment:
              copies: 2
            cache:
              ram_budget_mb: 64
            """;

    @TempDir
    Path dir;

    private Training.Builder tiny(Path dataset, Path runs) throws Exception {
        Path yaml = Files.writeString(dir.resolve("tiny.yaml"), TINY_YAML);
        return Training.builder().setConfigFile(yaml).optDatasetRoot(dataset).optRunsDir(runs).optProjectRoot(dir);
    }

    private Path dataset(int images, long seed) throws Exception {
        Path root = dir.resolve("dataset");
        new SampleDatasetGenerator(images, seed).generate(root);
        return root;
    }

    @Test
    void tinyModelTrainsThroughTheApiAndItsRunDescribesEveryLabel() throws Exception {
        List<EpochSummary> epochs = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        long[] progressCalls = {0};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void stageStarted(Stage stage, String subject) {
                stages.add("start " + stage.code() + " " + subject);
            }

            @Override
            public void stageFinished(Stage stage, String subject, Duration duration) {
                stages.add("end " + stage.code() + " " + subject);
            }

            @Override
            public void progress(Stage stage, String subject, long done, long total) {
                assertTrue(done > 0 && done <= total, stage + " " + done + "/" + total);
                progressCalls[0]++;
            }

            @Override
            public void epochFinished(EpochSummary epoch) {
                epochs.add(epoch);
            }
        };
        Training training = tiny(dataset(60, 5), dir.resolve("runs")).optListener(listener).build();
        TrainedRun run = training.train();

        assertEquals(List.of("hat", "eyewear"), run.labels());
        assertTrue(run.runFolder().startsWith(dir.resolve("runs")), run.runFolder().toString());
        assertTrue(Files.isRegularFile(run.runFolder().resolve("predictions.csv")));
        assertEquals(List.of("hat", "eyewear"), run.models().stream().map(BestModel::name).toList());
        for (BestModel model : run.models()) {
            assertEquals(List.of(model.name()), model.labels());
            assertEquals("tiny_cnn", model.architecture().configName());
            double threshold = model.threshold(model.name());
            assertTrue(threshold >= 0 && threshold <= 1, model.name() + " threshold " + threshold);
            assertTrue(Files.isRegularFile(model.checkpoint()), model.checkpoint().toString());
            assertEquals("tiny_cnn-" + model.name() + "-best.json", model.checkpoint().getFileName().toString());
            assertTrue(model.bestEpoch() >= 1 && model.bestEpoch() <= 2, "best epoch " + model.bestEpoch());
            assertTrue(Double.isFinite(model.metrics().validationLoss()));
            assertTrue(model.metrics().validationAccuracy() >= 0 && model.metrics().validationAccuracy() <= 1);
        }
        assertEquals(run.models().get(1), run.model("eyewear"));
        var missing = assertThrows(java.util.NoSuchElementException.class, () -> run.model("beard"));
        assertTrue(missing.getMessage().contains("no model for label 'beard'"), missing.getMessage());

        assertEquals(WeightsSource.Kind.RANDOM, run.weights().kind());
        assertTrue(run.randomWeights());
        assertEquals(run.weights(), run.provenance().weights());
        assertTrue(run.provenance().randomWeights());
        assertTrue(Files.readString(run.runFolder().resolve("provenance.json")).contains("\"kind\" : \"random\""));

        assertEquals(List.of(Stage.DATASET, Stage.CACHE, Stage.FEATURES, Stage.TOP, Stage.FINE_TUNE),
                List.copyOf(run.durations().keySet()));
        run.durations().forEach((stage, took) -> assertTrue(took.compareTo(Duration.ZERO) > 0, stage + " " + took));
        assertTrue(run.total().compareTo(run.durations().get(Stage.FINE_TUNE)) > 0);

        assertEquals(2 * (2 + 2), epochs.size(), "one summary per model and epoch");
        EpochSummary first = epochs.get(0);
        assertEquals("tiny_cnn/hat", first.key());
        assertEquals(Phase.TOP, first.phase());
        assertEquals(1, first.epoch());
        assertEquals(2, first.phaseEpochs());
        assertTrue(first.best(), "the first epoch is always the best so far");
        assertTrue(progressCalls[0] > 0);
        assertEquals(List.of("start dataset tiny-api", "end dataset tiny-api", "start cache tiny_cnn",
                "end cache tiny_cnn", "start features tiny_cnn", "end features tiny_cnn", "start top tiny_cnn/hat",
                "end top tiny_cnn/hat", "start fine_tune tiny_cnn/hat", "end fine_tune tiny_cnn/hat",
                "start top tiny_cnn/eyewear", "end top tiny_cnn/eyewear", "start fine_tune tiny_cnn/eyewear",
                "end fine_tune tiny_cnn/eyewear"), stages);
    }

    @Test
    void runCancelledAfterItsFirstEpochResumesToTheModelsOfAnUninterruptedRun() throws Exception {
        Path data = dataset(60, 5);
        TrainedRun straight = tiny(data, dir.resolve("runs-straight")).build().train();

        Cancellation cancellation = new Cancellation();
        List<String> seen = new ArrayList<>();
        Training cancelling = tiny(data, dir.resolve("runs-cancelled")).optCancellation(cancellation)
                .optListener(new TrainingListener() {
                    @Override
                    public void epochFinished(EpochSummary epoch) {
                        seen.add(epoch.key() + " " + epoch.phase().code() + " " + epoch.epoch());
                        cancellation.cancel();
                    }
                }).build();
        var cancelled = assertThrows(TrainingCancelledException.class, cancelling::train);
        assertEquals(List.of("tiny_cnn/hat top 1"), seen, "the run stops right after the epoch that cancelled it");
        Path folder = cancelled.runFolder().orElseThrow();
        assertTrue(folder.startsWith(dir.resolve("runs-cancelled")), folder.toString());
        assertTrue(cancelled.getMessage().contains(folder.toString()), cancelled.getMessage());

        TrainedRun resumed = tiny(data, dir.resolve("runs-cancelled")).build().resume(folder);
        assertEquals(folder, resumed.runFolder());
        assertEquals(Files.readAllLines(straight.runFolder().resolve("predictions.csv")),
                Files.readAllLines(resumed.runFolder().resolve("predictions.csv")));
        for (int m = 0; m < straight.models().size(); m++) {
            BestModel expected = straight.models().get(m);
            BestModel actual = resumed.models().get(m);
            assertEquals(expected.thresholds(), actual.thresholds(), expected.name());
            assertEquals(expected.bestPhase(), actual.bestPhase(), expected.name());
            assertEquals(expected.bestEpoch(), actual.bestEpoch(), expected.name());
            assertEquals(expected.metrics(), actual.metrics(), expected.name());
        }
        assertEquals(1 + 2 * (2 + 2), Files.readAllLines(folder.resolve("metrics-epochs.csv")).size(),
                "each epoch logged once");
    }

    @Test
    void cancellingWhileTheCacheFillsStopsBeforeAnyCheckpoint() throws Exception {
        Cancellation cancellation = new Cancellation();
        Training training = tiny(dataset(30, 6), dir.resolve("runs")).optCancellation(cancellation)
                .optListener(new TrainingListener() {
                    @Override
                    public void progress(Stage stage, String subject, long done, long total) {
                        if (stage == Stage.CACHE) {
                            cancellation.cancel();
                        }
                    }
                }).build();
        var cancelled = assertThrows(TrainingCancelledException.class, training::train);
        Path folder = cancelled.runFolder().orElseThrow();
        assertTrue(Files.isRegularFile(folder.resolve("manifest.csv")), "the folder can be resumed: " + folder);
        try (var checkpoints = Files.list(folder.resolve("checkpoints"))) {
            assertEquals(List.of(), checkpoints.toList());
        }
        assertTrue(cancellation.isCancelled());
    }

    @Test
    void buildWithoutAConfigSaysWhatIsMissing() {
        var e = assertThrows(IllegalStateException.class, () -> Training.builder().optRunsDir(dir).build());
        assertTrue(e.getMessage().contains("setConfig(PipelineConfig) or setConfigFile(Path)"), e.getMessage());
    }
}
