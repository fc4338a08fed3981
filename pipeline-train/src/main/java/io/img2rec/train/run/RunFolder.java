package io.img2rec.train.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code runs/<yyyyMMdd-HHmmss>-<config name>/} and the names of what lives in it (see DESIGN.md, "Formats").
 */
public record RunFolder(Path root) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Creates a new run folder under {@code runsDir}; fails clearly when the location is not writable. */
    public static RunFolder create(Path runsDir, String configName, LocalDateTime now) throws IOException {
        String base = STAMP.format(now) + "-" + configName;
        try {
            Files.createDirectories(runsDir);
        } catch (IOException e) {
            throw new IOException("cannot create the runs folder " + runsDir.toAbsolutePath() + " (" + e
                    + "): choose a writable location with -Druns_dir=<folder>", e);
        }
        if (!Files.isWritable(runsDir)) {
            throw new IOException("the runs folder " + runsDir.toAbsolutePath()
                    + " is not writable: choose another with -Druns_dir=<folder>");
        }
        Path dir = runsDir.resolve(base);
        for (int n = 2; Files.exists(dir); n++) {
            dir = runsDir.resolve(base + "-" + n);
        }
        Files.createDirectories(dir.resolve("checkpoints"));
        return new RunFolder(dir.toAbsolutePath());
    }

    /** An existing run folder (for resume and evaluation). */
    public static RunFolder existing(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("config.yaml"))) {
            throw new IOException(dir.toAbsolutePath() + " is not a run folder (no config.yaml): pass a folder under runs/"
                    + " that a training run created");
        }
        return new RunFolder(dir.toAbsolutePath());
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path provenance() {
        return root.resolve("provenance.json");
    }

    public Path manifest() {
        return root.resolve("manifest.csv");
    }

    public Path summaryFolder() {
        return root.resolve("summary");
    }

    public Path epochMetrics() {
        return root.resolve("metrics-epochs.csv");
    }

    public Path predictions() {
        return root.resolve("predictions.csv");
    }

    public Path runSummary() {
        return root.resolve("run-summary.json");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path cache() {
        return root.resolve("cache");
    }

    public Path log() {
        return root.resolve("train.log");
    }
}
