package io.img2rec.train;

import io.img2rec.train.api.TrainedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job end to end on a tiny config: training through the public API, then evaluation and the report. */
class TrainMainTest {
    @TempDir
    Path dir;

    @Test
    void mainJobTrainsEvaluatesAndWritesTheReportIntoTheRunFolder() throws Exception {
        Path data = TinyRuns.dataset(dir, 60, 7);
        Path yaml = Files.writeString(dir.resolve("tiny.yaml"), """
                name: tiny-main
                labels: [hat, eyewear]
                model:
                  architecture: tiny_cnn
                  weights: random
                augment:
                  copies: 1
                cache:
                  ram_budget_mb: 64
                """);
        Properties properties = new Properties();
        properties.setProperty("config", yaml.toString());
        properties.setProperty("data.root", data.toString());
        properties.setProperty("runs_dir", dir.resolve("runs").toString());
        properties.setProperty("train.epochs", "1");
        properties.setProperty("unrelated.property", "is not an override");

        TrainedRun run = TrainMain.run(properties);

        Path folder = run.runFolder();
        assertTrue(folder.startsWith(dir.resolve("runs")), folder.toString());
        for (String file : new String[] {"config.yaml", "provenance.json", "manifest.csv", "predictions.csv",
                "metrics-epochs.csv", "run-summary.json", "report.html"}) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file + " in " + folder);
        }
        assertEquals(2, run.models().size());
        assertTrue(Files.readString(folder.resolve("report.html")).contains("random-weights-warning"),
                "the report says the run started from random weights");
    }
}
