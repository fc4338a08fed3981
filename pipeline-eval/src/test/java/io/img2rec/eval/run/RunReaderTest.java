package io.img2rec.eval.run;

import io.img2rec.eval.RunFolderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReaderTest {

    @Test
    void readsEveryFileOfARunFolder(@TempDir Path tmp) throws Exception {
        var fixture = RunFolderFixture.in(tmp, "vgg16").generated(List.of("vgg16"), 4, 1).withoutImages();
        FinishedRun run = RunReader.read(fixture.write());
        assertEquals("vgg16", run.configName());
        assertEquals(List.of("hat", "beard", "eyewear"), run.labels());
        assertEquals(List.of("vgg16"), run.models());
        assertEquals(3 * 4 * 3, run.predictions().size());
        assertEquals(fixture.datasetRoot(), run.datasetRoot().orElseThrow());
        assertEquals("man456", run.provenance().orElseThrow().manifestHash());
        assertFalse(run.provenance().orElseThrow().randomWeights());
        assertEquals(137.75, run.summary().durationsSeconds().get("total"));
        assertEquals(3 * 2 * 3, run.epochs().size());
        assertEquals(3, run.checkpoints().size());
        assertTrue(run.checkpoints().stream().allMatch(c -> c.missingReason().isEmpty()));
        assertTrue(run.notes().isEmpty(), run.notes().toString());
    }

    @Test
    void missingOptionalFilesAreNotedNotFatal(@TempDir Path tmp) throws Exception {
        Path dir = RunFolderFixture.in(tmp, "bare").row("a.png", "test", "vgg16", "hat", 1, 0.4)
                .withoutProvenance().withoutSummary().withoutEpochs().withoutCheckpoints().write();
        FinishedRun run = RunReader.read(dir);
        assertTrue(run.provenance().isEmpty());
        assertTrue(run.epochs().isEmpty());
        assertEquals(4, run.notes().size(), run.notes().toString());
        assertTrue(run.checkpoints().get(0).missingReason().orElseThrow().contains("vgg16-hat-best.zip"));
        assertTrue(run.datasetRoot().isPresent(), "falls back to config data.root");
    }

    @Test
    void malformedPredictionNamesTheFileAndLine(@TempDir Path tmp) throws Exception {
        Path dir = RunFolderFixture.in(tmp, "bad").row("a.png", "test", "vgg16", "hat", 1, 0.4).write();
        Files.writeString(dir.resolve("predictions.csv"),
                "path,split,model,label,truth,score\na.png,test,vgg16,hat,1,0.4\nb.png,test,vgg16,hat,2,0.4\n");
        var e = assertThrows(RunFolderException.class, () -> RunReader.read(dir));
        assertTrue(e.getMessage().contains("predictions.csv line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("truth '2'"), e.getMessage());

        Files.writeString(dir.resolve("predictions.csv"), "path,split,model,label,truth,score\n"
                + "a.png,holdout,vgg16,hat,1,0.4\n");
        e = assertThrows(RunFolderException.class, () -> RunReader.read(dir));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("holdout"), e.getMessage());

        Files.writeString(dir.resolve("predictions.csv"), "path,split,model,truth\n");
        e = assertThrows(RunFolderException.class, () -> RunReader.read(dir));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("[label, score]"), e.getMessage());
    }

    @Test
    void unassignedSplitIsNotAPredictionSplit(@TempDir Path tmp) throws Exception {
        Path dir = RunFolderFixture.in(tmp, "unassigned").row("a.png", "test", "vgg16", "hat", 1, 0.4).write();
        Files.writeString(dir.resolve("predictions.csv"), "path,split,model,label,truth,score\n"
                + "a.png,Test,vgg16,hat,1,0.4\nb.png,unassigned,vgg16,hat,1,0.4\n");
        var e = assertThrows(RunFolderException.class, () -> RunReader.read(dir));
        assertTrue(e.getMessage().contains("predictions.csv line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("split 'unassigned' is not one of train, validation, test"), e.getMessage());
    }

    @Test
    void missingPredictionsSaysToRunTrainingFirst(@TempDir Path tmp) throws Exception {
        var e = assertThrows(RunFolderException.class, () -> RunReader.read(tmp));
        assertTrue(e.getMessage().contains("run training first"), e.getMessage());
        e = assertThrows(RunFolderException.class, () -> RunReader.read(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void notANumberScoresAreRead(@TempDir Path tmp) throws Exception {
        Path dir = RunFolderFixture.in(tmp, "nan").row("a.png", "test", "vgg16", "hat", 1, Double.NaN).write();
        assertTrue(Double.isNaN(RunReader.read(dir).predictions().get(0).score()));
    }

    @Test
    void aRunFolderWrittenBeforeFormatVersionsStillReads(@TempDir Path tmp) throws Exception {
        Path dir = RunFolderFixture.in(tmp, "old").row("a.png", "test", "vgg16", "hat", 1, 0.4).write();
        // provenance.json and run-summary.json exactly as the trainer wrote them before formatVersion existed
        Files.writeString(dir.resolve("provenance.json"), """
                {"configHash":"cfg123","manifestHash":"man456","seed":7,"gitCommit":"abc1234",
                 "weightsSource":"imagenet:dl4j-zoo","versions":{"dl4j":"1.0.0-M2.1","java":"17"},
                 "backend":"CpuBackend (oneDNN helpers on)","createdAt":"2024-01-01T12:00:00Z"}
                """);
        Files.writeString(dir.resolve("run-summary.json"), """
                {"datasetRoot": "/data/old", "counts": {"train": 6, "test": 1},
                 "durationsSeconds": {"top": 30.25, "total": 137.75}, "imagesPerSecond": {"top": 900.5},
                 "failedImages": 0, "best": [{"model": "hat", "bestPhase": "top", "bestEpoch": 2,
                 "thresholds": {"hat": 0.5}}]}
                """);
        FinishedRun run = RunReader.read(dir);
        assertEquals("man456", run.provenance().orElseThrow().manifestHash());
        assertEquals(Path.of("/data/old"), run.datasetRoot().orElseThrow());
        assertEquals(137.75, run.summary().durationsSeconds().get("total"));
        assertEquals(1, run.summary().formatVersion());
    }

    @Test
    void aRunSummaryOfANewerFormatIsRefusedWithWhatToDo(@TempDir Path tmp) throws Exception {
        Path dir = RunFolderFixture.in(tmp, "future").row("a.png", "test", "vgg16", "hat", 1, 0.4).write();
        Files.writeString(dir.resolve("run-summary.json"), "{\"formatVersion\": 2, \"stages\": []}");
        var e = assertThrows(RunFolderException.class, () -> RunReader.read(dir));
        assertEquals(dir.resolve("run-summary.json") + ": formatVersion 2 is newer than this img2rec reads (up to 1);"
                + " the file was written by a newer img2rec: read it with that version or upgrade this one",
                e.getMessage());
    }
}
