package io.img2rec.core.run;

import io.img2rec.core.manifest.ManifestCsv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run folder {@code runs/<yyyyMMdd-HHmmss>-<config name>/} and the name of every file in it (DESIGN.md, "Formats").
 * This is the only place those names are spelled; each file's writer and reader are {@link PredictionsCsv},
 * {@link EpochMetricsCsv}, {@link RunSummary}, {@link ProvenanceFile}, {@link io.img2rec.core.manifest.ManifestCsv}
 * and {@link io.img2rec.core.checkpoint.CheckpointStore}.
 *
 * @param root the folder (absolute when made by {@link #create} or {@link #open})
 */
public record RunLayout(Path root) {
    /** The resolved config the run was trained with. */
    public static final String CONFIG = "config.yaml";
    /** {@link io.img2rec.core.provenance.RunProvenance} of the run ({@link ProvenanceFile}). */
    public static final String PROVENANCE = "provenance.json";
    /** The split manifest ({@link ManifestCsv}). */
    public static final String MANIFEST = ManifestCsv.MANIFEST_FILE;
    /** The images the scan refused ({@link ManifestCsv}). */
    public static final String REJECTED = ManifestCsv.REJECTED_FILE;
    /** The dataset summary tables. */
    public static final String SUMMARY_FOLDER = "summary";
    /** One row per model, label, phase and epoch ({@link EpochMetricsCsv}). */
    public static final String EPOCH_METRICS = "metrics-epochs.csv";
    /** The best models' scores on every split ({@link PredictionsCsv}). */
    public static final String PREDICTIONS = "predictions.csv";
    /** Counts, durations, throughput and best epochs ({@link RunSummary}). */
    public static final String RUN_SUMMARY = "run-summary.json";
    /** Checkpoint zips and their sidecars ({@link io.img2rec.core.checkpoint.CheckpointStore}). */
    public static final String CHECKPOINTS = "checkpoints";
    /** Frozen-trunk cache spill files. */
    public static final String CACHE = "cache";
    /** The evaluation report. */
    public static final String REPORT_HTML = "report.html";
    /** The evaluation's metrics, machine-readable. */
    public static final String METRICS_JSON = "metrics.json";
    /** The evaluation's metrics as a table. */
    public static final String METRICS_CSV = "metrics.csv";
    /** The report's plots as PNG files. */
    public static final String REPORT_PLOTS = "plots";
    /** The training log, where the command line writes one. */
    public static final String LOG = "train.log";
    /** The model name of a multilabel model in checkpoint names ({@code <architecture>-multilabel-<slot>}). */
    public static final String MULTILABEL_MODEL = "multilabel";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public RunLayout {
        Objects.requireNonNull(root, "root");
    }

    /**
     * Creates a new run folder (with its {@code checkpoints/}) under {@code runsDir}, adding {@code -2}, {@code -3} …
     * when a run of the same second and config exists; fails clearly when the location is not writable.
     */
    public static RunLayout create(Path runsDir, String configName, LocalDateTime now) throws IOException {
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
        Files.createDirectories(dir.resolve(CHECKPOINTS));
        return new RunLayout(dir.toAbsolutePath());
    }

    /** An existing run folder (for resume): one that holds a {@code config.yaml}. */
    public static RunLayout open(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new IOException(dir.toAbsolutePath() + " is not a run folder (no " + CONFIG + "): pass a folder under"
                    + " runs/ that a training run created");
        }
        return new RunLayout(dir.toAbsolutePath());
    }

    /**
     * The checkpoints folder of {@code folder}: its {@code checkpoints/} when it is a run folder, else the folder
     * itself (a folder of checkpoints copied elsewhere).
     */
    public static Path checkpointsIn(Path folder) {
        Path inside = folder.resolve(CHECKPOINTS);
        return Files.isDirectory(inside) ? inside : folder;
    }

    /**
     * The run folder of {@code folder}, the inverse of {@link #checkpointsIn}: the folder itself when it holds a
     * {@code checkpoints/} folder, its parent when it is a run's {@code checkpoints/} folder, else empty (copied
     * checkpoints, no run around them).
     */
    public static java.util.Optional<Path> runRootOf(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute.resolve(CHECKPOINTS))) {
            return java.util.Optional.of(absolute);
        }
        boolean isCheckpoints = absolute.getFileName() != null
                && absolute.getFileName().toString().equals(CHECKPOINTS) && absolute.getParent() != null;
        return isCheckpoints ? java.util.Optional.of(absolute.getParent()) : java.util.Optional.empty();
    }

    /** The checkpoint name {@code <architecture>-<model>-<slot>}; {@code model} is a label or {@code multilabel}. */
    public static String checkpointName(String architecture, String model, CheckpointSlot slot) {
        return architecture + "-" + model + "-" + slot.suffix();
    }

    /** {@code <name>.json}, the sidecar file of a checkpoint name. */
    public static String sidecarFileName(String checkpointName) {
        return checkpointName + ".json";
    }

    /**
     * The zip file name of checkpoint {@code checkpointName} whose content hashes to {@code sha256}:
     * {@code <name>-<first 12 hex digits>.zip} (the sidecar names it; readers follow the sidecar, not this rule).
     */
    public static String modelFileName(String checkpointName, String sha256) {
        if (sha256 == null || sha256.length() < 12) {
            throw new IllegalArgumentException("checkpoint " + checkpointName + ": SHA-256 '" + sha256
                    + "' is not a hex digest of at least 12 digits");
        }
        return checkpointName + "-" + sha256.substring(0, 12) + ".zip";
    }

    public Path config() {
        return root.resolve(CONFIG);
    }

    public Path provenance() {
        return root.resolve(PROVENANCE);
    }

    public Path manifest() {
        return root.resolve(MANIFEST);
    }

    public Path rejected() {
        return root.resolve(REJECTED);
    }

    public Path summaryFolder() {
        return root.resolve(SUMMARY_FOLDER);
    }

    public Path epochMetrics() {
        return root.resolve(EPOCH_METRICS);
    }

    public Path predictions() {
        return root.resolve(PREDICTIONS);
    }

    public Path runSummary() {
        return root.resolve(RUN_SUMMARY);
    }

    public Path checkpoints() {
        return root.resolve(CHECKPOINTS);
    }

    public Path cache() {
        return root.resolve(CACHE);
    }

    public Path report() {
        return root.resolve(REPORT_HTML);
    }

    public Path metricsJson() {
        return root.resolve(METRICS_JSON);
    }

    public Path metricsCsv() {
        return root.resolve(METRICS_CSV);
    }

    public Path log() {
        return root.resolve(LOG);
    }

    /**
     * Whether the run has written anything worth keeping after it failed: a file in {@code checkpoints/} (a
     * checkpoint, even one without its sidecar yet) or a training log. The config, provenance, manifest and dataset
     * summaries are not: a new start writes them again.
     */
    public boolean holdsResults() throws IOException {
        if (Files.exists(log())) {
            return true;
        }
        if (!Files.isDirectory(checkpoints())) {
            return false;
        }
        try (Stream<Path> files = Files.walk(checkpoints())) {
            return files.anyMatch(p -> !Files.isDirectory(p));
        }
    }

    /**
     * Deletes this run folder and everything in it when it {@linkplain #holdsResults() holds no results} (a training
     * start that failed), so that a failed start leaves nothing behind; returns whether it did. Links inside are
     * removed, not followed.
     */
    public boolean deleteIfNoResults() throws IOException {
        if (!Files.isDirectory(root) || holdsResults()) {
            return false;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
        return true;
    }

    /** The sidecar of checkpoint {@code <architecture>-<model>-<slot>} in {@code checkpoints/}. */
    public Path checkpointSidecar(String architecture, String model, CheckpointSlot slot) {
        return checkpoints().resolve(sidecarFileName(checkpointName(architecture, model, slot)));
    }

    /**
     * The sidecar of the servable best model that scores {@code label}: the per-label model's, else the multilabel
     * model's; empty when neither exists.
     */
    public Optional<Path> bestSidecarFor(String architecture, String label) {
        for (String model : new String[]{label, MULTILABEL_MODEL}) {
            Path sidecar = checkpointSidecar(architecture, model, CheckpointSlot.BEST);
            if (Files.isRegularFile(sidecar)) {
                return Optional.of(sidecar);
            }
        }
        return Optional.empty();
    }
}
