package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.run.EpochMetricsCsv;
import io.img2rec.core.run.PredictionsCsv;
import io.img2rec.core.run.ProvenanceFile;
import io.img2rec.core.run.RunSummary;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingJobTest {
    @TempDir
    Path dir;

    @Test
    void aStartThatFailsOnTheDatasetLeavesNoRunFolderBehind() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("photos-without-label-folders"));
        Path runs = dir.resolve("runs");
        PipelineConfig config = TinyRuns.config(empty, runs, Map.of());
        Exception e = assertThrows(Exception.class, () -> TinyRuns.job(config, dir).runNew());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), String.valueOf(e));
        try (var left = Files.list(runs)) {
            assertEquals(List.of(), left.toList(), "failed start left: " + e.getMessage());
        }
    }

    @Test
    void tinyRunWritesCheckpointsPredictionsAndEpochMetricsForEveryLabel() throws Exception {
        Path data = TinyRuns.dataset(dir, 90, 3);
        PipelineConfig config = TinyRuns.config(data, dir.resolve("runs"), Map.of());
        TrainingJob.Result result = TinyRuns.job(config, dir).runNew();

        Path checkpoints = result.run().checkpoints();
        for (String label : List.of("hat", "beard", "eyewear")) {
            for (String kind : List.of("best", "last", "top-best")) {
                assertTrue(Files.isRegularFile(checkpoints.resolve("tiny_cnn-" + label + "-" + kind + ".json")), label + kind);
            }
            CheckpointSidecar best = CheckpointStore.readSidecar(checkpoints.resolve("tiny_cnn-" + label + "-best.json"));
            assertEquals(List.of(label), best.labels());
            assertEquals("full", best.contents());
            ComputationGraph loaded = CheckpointStore.load(checkpoints.resolve("tiny_cnn-" + label + "-best.json"), false);
            assertEquals(1, loaded.getConfiguration().getNetworkOutputs().size());
        }
        List<String> predictions = Files.readAllLines(result.run().predictions());
        assertEquals(1 + result.manifest().size() * 3, predictions.size());
        List<String> epochs = Files.readAllLines(result.run().epochMetrics());
        assertEquals(1 + 3 * (2 + 2), epochs.size(), String.join("\n", epochs));
        assertTrue(Files.readString(result.run().provenance()).contains("random"));
        assertNotEquals(0, result.outcome().imagesPerSecond().get("cache"));
        // What the trainer wrote reads back through the run format's own readers.
        assertEquals(result.provenance(), ProvenanceFile.read(result.run().provenance()));
        assertEquals(result.manifest().size() * 3, PredictionsCsv.read(result.run().predictions()).size());
        assertEquals(3 * (2 + 2), EpochMetricsCsv.read(result.run().epochMetrics()).size());
        RunSummary summary = RunSummary.read(result.run().runSummary());
        assertEquals(List.of("hat", "beard", "eyewear"), summary.best().stream().map(RunSummary.BestModel::model).toList());
        assertEquals(data.toAbsolutePath().normalize(), summary.datasetRootPath().orElseThrow());

        // Frozen layers are bit-identical to the seeded starting network; the unfrozen ones moved.
        ComputationGraph start = TrainingJob.network(config);
        start.init();
        ComputationGraph best = CheckpointStore.load(checkpoints.resolve("tiny_cnn-hat-best.json"), false);
        ComputationGraph last = CheckpointStore.load(checkpoints.resolve("tiny_cnn-hat-last.json"), false);
        for (String frozen : List.of("tiny1_conv", "tiny2_conv")) {
            assertEquals(start.getLayer(frozen).params(), best.getLayer(frozen).params(), frozen + " must not change");
        }
        for (String trained : List.of("tiny3_conv", "top_dense", "top_output")) {
            assertNotEquals(start.getLayer(trained).params(), last.getLayer(trained).params(), trained + " must train");
        }
    }

    @Test
    void multilabelHeadTrainsOneModelWithASigmoidPerLabel() throws Exception {
        Path data = TinyRuns.dataset(dir, 60, 4);
        PipelineConfig config = TinyRuns.config(data, dir.resolve("runs"), Map.of("model.heads", "multilabel",
                "train.epochs", "1"));
        TrainingJob.Result result = TinyRuns.job(config, dir).runNew();
        Path sidecar = result.run().checkpoints().resolve("tiny_cnn-multilabel-best.json");
        CheckpointSidecar best = CheckpointStore.readSidecar(sidecar);
        assertEquals(List.of("hat", "beard", "eyewear"), best.labels());
        assertEquals(3, best.thresholds().size());
        ComputationGraph model = CheckpointStore.load(sidecar, false);
        var out = model.outputSingle(org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 32, 32, 3));
        assertEquals(List.of(2L, 3L), java.util.Arrays.stream(out.shape()).boxed().toList());
        assertEquals(1 + result.manifest().size() * 3, Files.readAllLines(result.run().predictions()).size());
    }

    @Test
    void missingDatasetAndUnusableSplitGiveClearErrors() throws Exception {
        PipelineConfig missing = TinyRuns.config(dir.resolve("nowhere"), dir.resolve("runs"), Map.of());
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.img2rec.core.manifest.ManifestException.class,
                () -> TinyRuns.job(missing, dir).runNew());
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("data.root"), e.getMessage());

        Path data = TinyRuns.dataset(dir, 30, 6);
        Path lonely = Files.createDirectories(data.resolve("scarf"));
        Files.copy(Files.list(data.resolve("hat")).findFirst().orElseThrow(), lonely.resolve("only.png"));
        PipelineConfig scarf = TinyRuns.config(data, dir.resolve("runs"), Map.of("labels", "hat,scarf"));
        var few = org.junit.jupiter.api.Assertions.assertThrows(io.img2rec.core.manifest.ManifestException.class,
                () -> TinyRuns.job(scarf, dir).runNew());
        assertTrue(few.getMessage().contains("label 'scarf' has no positive images in the"), few.getMessage());
    }

    @Test
    void resNet50TrainsItsTwoInputHeadEndToEndAtASmallInputSize() throws Exception {
        Path data = TinyRuns.dataset(dir, 40, 8);
        PipelineConfig config = TinyRuns.config(data, dir.resolve("runs"), Map.of("model.architecture", "resnet50",
                "model.input_size", "64", "labels", "hat", "train.epochs", "1", "augment.copies", "1"));
        TrainingJob.Result result = TinyRuns.job(config, dir).runNew();
        CheckpointSidecar best = CheckpointStore.readSidecar(result.run().checkpoints().resolve("resnet50-hat-best.json"));
        assertEquals("caffe", best.preprocessing());
        ComputationGraph model = CheckpointStore.load(result.run().checkpoints().resolve("resnet50-hat-best.json"), false);
        assertEquals(25_636_712L - 2_049_000L + 2048L * 512 + 512 + 513, model.numParams(),
                "standard ResNet50 base (23,587,712) + our top (2048x512 dense, 512x1 output)");
    }
}
