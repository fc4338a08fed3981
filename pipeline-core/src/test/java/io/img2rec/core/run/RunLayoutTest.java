package io.img2rec.core.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLayoutTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2024, 1, 2, 3, 4, 5);

    @Test
    void createdFoldersAreStampedUniqueAndHoldCheckpoints(@TempDir Path tmp) throws Exception {
        RunLayout first = RunLayout.create(tmp.resolve("runs"), "vgg16", NOW);
        RunLayout second = RunLayout.create(tmp.resolve("runs"), "vgg16", NOW);
        assertEquals("20240102-030405-vgg16", first.root().getFileName().toString());
        assertEquals("20240102-030405-vgg16-2", second.root().getFileName().toString());
        assertTrue(Files.isDirectory(first.checkpoints()));
        assertEquals(first.root().resolve("predictions.csv"), first.predictions());
        assertEquals(first.root().resolve("metrics-epochs.csv"), first.epochMetrics());
        assertEquals(first.root().resolve("run-summary.json"), first.runSummary());
        assertEquals(first.root().resolve("manifest.csv"), first.manifest());
        assertEquals(first.root().resolve("report.html"), first.report());
    }

    @Test
    void openingAFolderWithoutConfigSaysWhatARunFolderIs(@TempDir Path tmp) throws Exception {
        var e = assertThrows(IOException.class, () -> RunLayout.open(tmp));
        assertTrue(e.getMessage().contains("is not a run folder (no config.yaml)"), e.getMessage());
        Files.writeString(tmp.resolve(RunLayout.CONFIG), "name: x\n");
        assertEquals(tmp.toAbsolutePath(), RunLayout.open(tmp).root());
    }

    @Test
    void checkpointsAreNamedArchitectureModelSlot(@TempDir Path tmp) throws Exception {
        var run = new RunLayout(tmp);
        assertEquals("vgg16-hat-top-best", RunLayout.checkpointName("vgg16", "hat", CheckpointSlot.TOP_BEST));
        assertEquals(tmp.resolve("checkpoints/vgg16-hat-best-head.json"),
                run.checkpointSidecar("vgg16", "hat", CheckpointSlot.BEST_HEAD));
        assertTrue(run.bestSidecarFor("vgg16", "hat").isEmpty());
        Files.createDirectories(run.checkpoints());
        Files.writeString(run.checkpointSidecar("vgg16", RunLayout.MULTILABEL_MODEL, CheckpointSlot.BEST), "{}");
        assertEquals(tmp.resolve("checkpoints/vgg16-multilabel-best.json"), run.bestSidecarFor("vgg16", "hat")
                .orElseThrow());
        assertEquals(run.checkpoints(), RunLayout.checkpointsIn(tmp));
        assertEquals(run.checkpoints(), RunLayout.checkpointsIn(run.checkpoints()));
    }
}
