package io.img2rec.core.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void aRunWithoutCheckpointsIsDeletedAndOneWithACheckpointIsKept(@TempDir Path tmp) throws Exception {
        RunLayout failed = RunLayout.create(tmp.resolve("runs"), "vgg16", NOW);
        Files.writeString(failed.config(), "name: vgg16\n");
        Files.createDirectories(failed.summaryFolder());
        Files.writeString(failed.summaryFolder().resolve("labels.csv"), "label,count\n");
        assertFalse(failed.holdsResults());
        assertTrue(failed.deleteIfNoResults());
        assertFalse(Files.exists(failed.root()));
        assertTrue(Files.isDirectory(tmp.resolve("runs")), "the runs folder itself stays");

        RunLayout trained = RunLayout.create(tmp.resolve("runs"), "vgg16", NOW);
        Files.writeString(trained.config(), "name: vgg16\n");
        Files.writeString(trained.checkpoints().resolve("vgg16-hat-last-0123456789ab.zip"), "zip");
        assertTrue(trained.holdsResults());
        assertFalse(trained.deleteIfNoResults());
        assertTrue(Files.isRegularFile(trained.config()));

        RunLayout logged = RunLayout.create(tmp.resolve("runs"), "resnet50", NOW);
        Files.writeString(logged.log(), "started\n");
        assertFalse(logged.deleteIfNoResults());
    }
}
