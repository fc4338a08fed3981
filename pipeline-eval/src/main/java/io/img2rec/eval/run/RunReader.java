package io.img2rec.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.EpochMetricsCsv;
import io.img2rec.core.run.EpochRecord;
import io.img2rec.core.run.Prediction;
import io.img2rec.core.run.PredictionsCsv;
import io.img2rec.core.run.ProvenanceFile;
import io.img2rec.core.run.RunFormatException;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.run.RunSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a finished run folder through the run format's readers ({@code io.img2rec.core.run}).
 * {@code predictions.csv} is required; {@code config.yaml}, {@code provenance.json}, {@code metrics-epochs.csv},
 * {@code run-summary.json} and {@code checkpoints/} are optional and their absence is recorded in
 * {@link FinishedRun#notes()}. A malformed file, or one of a format version this build cannot read, fails with its
 * name (and line).
 */
public final class RunReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunReader() {
    }

    public static FinishedRun read(Path dir) throws RunFolderException {
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException("run folder " + dir + " does not exist or is not a folder");
        }
        RunLayout run = new RunLayout(dir);
        if (!Files.isRegularFile(run.predictions())) {
            throw new RunFolderException(run.predictions() + " not found: run training first (it writes "
                    + RunLayout.PREDICTIONS + " when it finishes)");
        }
        List<String> notes = new ArrayList<>();
        JsonNode config = readConfig(run.config(), notes);
        List<Prediction> predictions = readPredictions(run.predictions());
        List<EpochRecord> epochs = List.of();
        RunSummary summary = RunSummary.empty();
        Optional<RunProvenance> provenance = Optional.empty();
        try {
            if (present(run.epochMetrics(), RunLayout.EPOCH_METRICS + " not found; no training curves", notes)) {
                epochs = EpochMetricsCsv.read(run.epochMetrics());
            }
            if (present(run.runSummary(), RunLayout.RUN_SUMMARY + " not found; durations and throughput are unknown",
                    notes)) {
                summary = RunSummary.read(run.runSummary());
            }
            if (present(run.provenance(), RunLayout.PROVENANCE
                    + " not found; weights source, backend and git commit are unknown", notes)) {
                provenance = Optional.of(ProvenanceFile.read(run.provenance()));
            }
        } catch (RunFormatException e) {
            throw new RunFolderException(e.getMessage(), e);
        }

        String name = config.path("name").isValueNode() ? config.path("name").asText()
                : String.valueOf(dir.getFileName());
        List<String> labels = new ArrayList<>();
        if (config.path("labels").isArray()) {
            config.path("labels").forEach(l -> labels.add(l.isObject() ? l.path("name").asText() : l.asText()));
        }
        Set<String> seen = new LinkedHashSet<>();
        predictions.forEach(p -> seen.add(p.label()));
        if (labels.isEmpty()) {
            labels.addAll(seen);
        } else {
            for (String label : seen) {
                if (!labels.contains(label)) {
                    notes.add(RunLayout.PREDICTIONS + " has label '" + label + "', which " + RunLayout.CONFIG
                            + " does not list");
                    labels.add(label);
                }
            }
        }
        Optional<Path> datasetRoot = summary.datasetRootPath();
        if (datasetRoot.isEmpty() && config.path("data").path("root").isValueNode()) {
            Path root = Path.of(config.path("data").path("root").asText());
            datasetRoot = Optional.of(root.isAbsolute() ? root : dir.resolve(root).normalize());
        }
        List<CheckpointStatus> checkpoints = listCheckpoints(run, predictions, notes);
        return new FinishedRun(dir.toAbsolutePath().normalize(), name, labels, datasetRoot, provenance, predictions,
                epochs, summary, checkpoints, notes);
    }

    /** Reads a predictions file in the run-folder format ({@link PredictionsCsv}), also a stray one. */
    public static List<Prediction> readPredictions(Path file) throws RunFolderException {
        try {
            return PredictionsCsv.read(file);
        } catch (RunFormatException e) {
            throw new RunFolderException(e.getMessage(), e);
        }
    }

    private static boolean present(Path file, String missingNote, List<String> notes) {
        if (Files.isRegularFile(file)) {
            return true;
        }
        notes.add(missingNote);
        return false;
    }

    /**
     * The few facts evaluation takes from {@code config.yaml} (name, labels, data root), read leniently so that a run
     * folder of any config version can be evaluated.
     */
    private static JsonNode readConfig(Path file, List<String> notes) throws RunFolderException {
        if (!present(file, RunLayout.CONFIG + " not found; the config name is taken from the folder name", notes)) {
            return YAML.createObjectNode();
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            return tree == null ? YAML.createObjectNode() : tree;
        } catch (IOException e) {
            throw new RunFolderException(file + ": not valid YAML (" + e.getMessage() + ")", e);
        }
    }

    private static List<CheckpointStatus> listCheckpoints(RunLayout run, List<Prediction> predictions,
                                                          List<String> notes) {
        if (!Files.isDirectory(run.checkpoints())) {
            notes.add(RunLayout.CHECKPOINTS + "/ not found in the run folder; no model of this run can be served");
        }
        Map<String, String[]> pairs = new LinkedHashMap<>();
        predictions.forEach(p -> pairs.putIfAbsent(p.model() + "\u0000" + p.label(), new String[]{p.model(), p.label()}));
        List<CheckpointStatus> out = new ArrayList<>();
        for (String[] ml : pairs.values()) {
            Path sidecar = run.bestSidecarFor(ml[0], ml[1])
                    .orElse(run.checkpointSidecar(ml[0], ml[1], CheckpointSlot.BEST));
            // The sidecar names its zip (<name>-<sha prefix>.zip); without a readable sidecar the zip is unknown and
            // the message names the checkpoint.
            Path zip = run.checkpoints().resolve(RunLayout.checkpointName(ml[0], ml[1], CheckpointSlot.BEST) + ".zip");
            if (Files.isRegularFile(sidecar)) {
                try {
                    zip = CheckpointStore.modelFileOf(sidecar, CheckpointStore.readSidecar(sidecar));
                } catch (CheckpointException e) {
                    notes.add(e.getMessage());
                }
            }
            out.add(new CheckpointStatus(ml[0], ml[1], zip, sidecar, Files.isRegularFile(zip),
                    Files.isRegularFile(sidecar)));
        }
        return out;
    }
}
