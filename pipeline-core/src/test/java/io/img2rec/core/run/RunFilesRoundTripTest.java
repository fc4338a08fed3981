package io.img2rec.core.run;

import io.img2rec.core.manifest.Split;
import io.img2rec.core.provenance.RunProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFilesRoundTripTest {

    @Test
    void predictionsReadBackAsWritten(@TempDir Path tmp) throws Exception {
        List<Prediction> rows = List.of(new Prediction("hat/a.png", Split.TRAIN, "vgg16", "hat", true, 0.25),
                new Prediction("b, with comma.png", Split.TEST, "vgg16", "hat", false, Double.NaN),
                new Prediction("c.png", Split.VALIDATION, "resnet50", "beard", false, 0.125));
        Path file = tmp.resolve(RunLayout.PREDICTIONS);
        PredictionsCsv.write(file, rows);
        assertEquals(rows, PredictionsCsv.read(file));
        assertEquals(String.join(",", PredictionsCsv.COLUMNS), Files.readAllLines(file).get(0));
        assertEquals("hat/a.png,train,vgg16,hat,1,0.25000000", Files.readAllLines(file).get(1));
    }

    @Test
    void epochLogReplacesAReplayedEpochAndSurvivesReopening(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(RunLayout.EPOCH_METRICS);
        var log = EpochMetricsCsv.open(file);
        var first = EpochRecord.of("vgg16", "hat", "top", 1, 0.5, 0.75, Double.NaN, 0.5, 1.5, 100.25);
        var replayed = EpochRecord.of("vgg16", "hat", "top", 1, 0.25, 0.5, 0.875, 0.625, 2.0, 50.5);
        var second = EpochRecord.of("vgg16", "hat", "top", 2, 0.125, 0.25, 0.9375, 0.75, 1.0, 10.0);
        log.add(first);
        log.add(second);
        EpochMetricsCsv.open(file).add(replayed);
        assertEquals(List.of(replayed, second), EpochMetricsCsv.read(file));
        assertEquals(List.of(replayed, second), EpochMetricsCsv.open(file).rows());
        assertEquals(OptionalDouble.of(0.875), EpochMetricsCsv.read(file).get(0).validationAuc());
        assertEquals(String.join(",", EpochMetricsCsv.COLUMNS), Files.readAllLines(file).get(0));
    }

    @Test
    void anUndefinedEpochValueIsAnEmptyCell(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(RunLayout.EPOCH_METRICS);
        EpochMetricsCsv.write(file, List.of(EpochRecord.of("m", "hat", "top", 1, 0.5, 0.5, Double.NaN, 0.5, 1, 2)));
        assertEquals("m,hat,top,1,0.500000,0.500000,,0.500000,1.000,2.00", Files.readAllLines(file).get(1));
        assertTrue(EpochMetricsCsv.read(file).get(0).validationAuc().isEmpty());
    }

    @Test
    void runSummaryReadsBackAsWritten(@TempDir Path tmp) throws Exception {
        var summary = RunSummary.of(tmp.resolve("data"), Map.of("train", 6L, "test", 2L),
                Map.of("cache", 1.5, "total", 10.25, "top", Double.NaN), Map.of("top", 900.5), 3,
                List.of(new RunSummary.BestModel("hat", "fine_tune", 2, Map.of("hat", 0.375))));
        Path file = tmp.resolve(RunLayout.RUN_SUMMARY);
        RunSummary.write(file, summary);
        RunSummary read = RunSummary.read(file);
        assertEquals(summary, read);
        assertEquals(Map.of("cache", 1.5, "total", 10.25), read.durationsSeconds(), "NaN is left out");
        assertEquals(RunSummary.FORMAT_VERSION, read.formatVersion());
        assertTrue(Files.readString(file).contains("\"formatVersion\" : 1"), Files.readString(file));
    }

    @Test
    void aRunSummaryWrittenBeforeVersionsReadsAsVersionOne(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(RunLayout.RUN_SUMMARY);
        Files.writeString(file, """
                {"datasetRoot": "/data", "counts": {"train": 6, "validation": 6},
                 "durationsSeconds": {"cache": 12.5, "total": 137.75}, "imagesPerSecond": {"top": "NaN"},
                 "failedImages": 1, "best": [{"model": "hat", "bestPhase": "top", "bestEpoch": 3,
                 "thresholds": {"hat": 0.5}}]}
                """);
        RunSummary read = RunSummary.read(file);
        assertEquals(1, read.formatVersion());
        assertEquals(Path.of("/data"), read.datasetRootPath().orElseThrow());
        assertEquals(Map.of("train", 6L, "validation", 6L), read.counts());
        assertEquals(Map.of(), read.imagesPerSecond());
        assertEquals(List.of(new RunSummary.BestModel("hat", "top", 3, Map.of("hat", 0.5))), read.best());
        Files.writeString(file, "{\"counts\": {\"test\": 2}}");
        assertEquals(RunSummary.of(null, Map.of("test", 2L), Map.of(), Map.of(), 0, List.of()), RunSummary.read(file));
    }

    @Test
    void aNewerRunSummaryIsRefusedWithWhatToDo(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(RunLayout.RUN_SUMMARY);
        Files.writeString(file, "{\"formatVersion\": 2, \"counts\": {}, \"somethingNew\": true}");
        var e = assertThrows(RunFormatException.class, () -> RunSummary.read(file));
        assertEquals(file + ": formatVersion 2 is newer than this img2rec reads (up to 1); the file was written by a"
                + " newer img2rec: read it with that version or upgrade this one", e.getMessage());
        Files.writeString(file, "{\"formatVersion\": 0}");
        e = assertThrows(RunFormatException.class, () -> RunSummary.read(file));
        assertTrue(e.getMessage().contains("formatVersion 0 is not a version this img2rec reads (1 to 1)"),
                e.getMessage());
    }

    @Test
    void provenanceReadsBackAsWrittenAndOldFilesStillRead(@TempDir Path tmp) throws Exception {
        var provenance = new RunProvenance("cfg", "man", 7, "abc1234", "imagenet:dl4j-zoo",
                Map.of("dl4j", "1.0.0-M2.1"), "CpuBackend", "2024-01-01T12:00:00Z");
        Path file = tmp.resolve(RunLayout.PROVENANCE);
        ProvenanceFile.write(file, provenance);
        assertEquals(provenance, ProvenanceFile.read(file));
        assertTrue(Files.readString(file).contains("\"formatVersion\" : 1"));

        Files.writeString(file, """
                {"configHash":"cfg","manifestHash":"man","seed":7,"gitCommit":"abc1234",
                 "weightsSource":"imagenet:dl4j-zoo","versions":{"dl4j":"1.0.0-M2.1"},
                 "backend":"CpuBackend","createdAt":"2024-01-01T12:00:00Z"}
                """);
        assertEquals(provenance, ProvenanceFile.read(file), "a file written before formatVersion reads as version 1");
    }

    @Test
    void aNewerProvenanceIsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(RunLayout.PROVENANCE);
        Files.writeString(file, "{\"formatVersion\": 3, \"seed\": 1}");
        var e = assertThrows(RunFormatException.class, () -> ProvenanceFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": formatVersion 3 is newer than this img2rec reads (up to 1)"),
                e.getMessage());
        Files.writeString(file, "{\"seed\": ");
        e = assertThrows(RunFormatException.class, () -> ProvenanceFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON"), e.getMessage());
    }
}
