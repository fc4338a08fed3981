package io.img2rec.serve.registry;

import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRegistryTest {
    @TempDir
    Path dir;

    @Test
    void loadsTwoRunsAsOneSetOfSixAndReadsSidecarsNotFileNames() throws Exception {
        Path vggRun = dir.resolve("run-vgg");
        Path resnetRun = dir.resolve("run-resnet");
        long seed = 1;
        for (String label : ServeFixtures.LABELS) {
            ServeFixtures.writeTiny(new RunLayout(vggRun).checkpoints(), "vgg16", label, seed++);
            // a misleading file name: the sidecar, not the name, says what the model is
            ServeFixtures.write(resnetRun, "model-" + seed, ServeFixtures.sidecar("resnet50", label, 0.4, "caffe"), seed++);
        }
        try (ModelRegistry registry = ModelRegistry.load(List.of(vggRun, resnetRun), ServeFixtures.LABELS)) {
            assertEquals(6, registry.models().size());
            assertEquals(ServeFixtures.LABELS, registry.labels());
            assertEquals(List.of("resnet50", "vgg16"), registry.architectures());
            assertTrue(registry.missing().isEmpty());
        }
    }

    @Test
    void aSubsetCoveringEveryLabelIsServedAndSaysWhatIsMissing() throws Exception {
        ServeFixtures.writeTiny(dir, "vgg16", "beard", 1);
        ServeFixtures.writeTiny(dir, "vgg16", "hat", 2);
        ServeFixtures.writeTiny(dir, "resnet50", "eyewear", 3);
        try (ModelRegistry registry = ModelRegistry.load(List.of(dir), ServeFixtures.LABELS)) {
            assertEquals(List.of("beard/resnet50", "eyewear/vgg16", "hat/resnet50"), registry.missing());
        }
    }

    @Test
    void refusesALabelCoveredByNoModel() throws Exception {
        ServeFixtures.writeTiny(dir, "vgg16", "beard", 1);
        ServeFixtures.writeTiny(dir, "vgg16", "hat", 2);
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(dir), ServeFixtures.LABELS));
        assertTrue(e.getMessage().contains("[eyewear] covered by no model"), e.getMessage());
    }

    @Test
    void refusesTwoModelsForOneLabelAndArchitecture() throws Exception {
        ServeFixtures.writeTiny(dir, "vgg16", "hat", 1);
        ServeFixtures.write(dir, "another-hat", ServeFixtures.sidecar("vgg16", "hat", 0.5, "bgr_rescale"), 2);
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(dir), List.of("hat")));
        assertTrue(e.getMessage().contains("two models for label hat with architecture vgg16"), e.getMessage());
    }

    @Test
    void refusesUnknownPreprocessingArchitectureAndBadThreshold() throws Exception {
        Path a = dir.resolve("a");
        ServeFixtures.write(a, "x", ServeFixtures.sidecar("vgg16", "hat", 0.5, "torch"), 1);
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(a), List.of()));
        assertTrue(e.getMessage().contains("unknown preprocessing 'torch'"), e.getMessage());
        Path b = dir.resolve("b");
        ServeFixtures.write(b, "x", ServeFixtures.sidecar("inception", "hat", 0.5, "caffe"), 1);
        e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(b), List.of()));
        assertTrue(e.getMessage().contains("unknown architecture 'inception'"), e.getMessage());
        Path c = dir.resolve("c");
        ServeFixtures.write(c, "x", ServeFixtures.sidecar("vgg16", "hat", 1.5, "caffe"), 1);
        e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(c), List.of()));
        assertTrue(e.getMessage().contains("outside [0, 1]"), e.getMessage());
    }

    @Test
    void refusesModelsOfOneArchitectureThatDisagreeOnPreprocessing() throws Exception {
        ServeFixtures.write(dir, "a", ServeFixtures.sidecar("vgg16", "hat", 0.5, "caffe"), 1);
        ServeFixtures.write(dir, "b", ServeFixtures.sidecar("vgg16", "beard", 0.5, "bgr_rescale"), 2);
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(dir), List.of()));
        assertTrue(e.getMessage().contains("disagree on input"), e.getMessage());
    }

    @Test
    void refusesAnAlteredModelFileAndSkipsHeadCheckpoints() throws Exception {
        CheckpointSidecar written = ServeFixtures.writeTiny(dir, "vgg16", "hat", 1);
        CheckpointSidecar head = ServeFixtures.sidecar("vgg16", "hat", 0.5, "bgr_rescale");
        ServeFixtures.write(dir, RunLayout.checkpointName("vgg16", "hat", CheckpointSlot.BEST_HEAD),
                new CheckpointSidecar(head.formatVersion(), head.architecture(),
                head.labels(), "best", "head", 32, head.preprocessing(), head.resize(), head.dataFormat(), head.phase(),
                head.epoch(), head.metrics(), head.thresholds(), null, null, head.provenance(), null), 2);
        try (ModelRegistry registry = ModelRegistry.load(List.of(dir), List.of("hat"))) {
            assertEquals(1, registry.models().size());
        }
        Files.write(dir.resolve(written.modelFile()), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(dir), List.of("hat")));
        assertTrue(e.getMessage().contains("does not match its sidecar"), e.getMessage());
    }

    @Test
    void refusesASidecarOfANewerFormatSayingWhatToDo() throws Exception {
        ServeFixtures.writeTiny(dir, "vgg16", "hat", 1);
        Path sidecar = new CheckpointStore(dir)
                .sidecarFile(RunLayout.checkpointName("vgg16", "hat", CheckpointSlot.BEST));
        Files.writeString(sidecar, Files.readString(sidecar).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.load(List.of(dir), List.of("hat")));
        assertTrue(e.getMessage().startsWith(sidecar + ": formatVersion 2 is newer than this img2rec reads (up to 1)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("upgrade"), e.getMessage());
    }
}
