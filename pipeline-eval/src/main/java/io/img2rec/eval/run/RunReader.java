package io.img2rec.eval.run;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.manifest.Split;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.img2rec.core.provenance.RunProvenance;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a run folder. {@code predictions.csv} is required; {@code config.yaml}, {@code provenance.json},
 * {@code metrics-epochs.csv}, {@code run-summary.json} and {@code checkpoints/} are optional and their absence is
 * recorded in {@link RunFolder#notes()}. A malformed file fails with its name and line.
 */
public final class RunReader {

    public static final String PREDICTIONS = "predictions.csv";
    public static final String EPOCHS = "metrics-epochs.csv";
    public static final String CONFIG = "config.yaml";
    public static final String PROVENANCE = "provenance.json";
    public static final String SUMMARY = "run-summary.json";
    public static final String CHECKPOINTS = "checkpoints";

    static final List<String> PREDICTION_COLUMNS = List.of("path", "split", "model", "label", "truth", "score");
    static final List<String> EPOCH_COLUMNS = List.of("model", "label", "phase", "epoch", "train_loss",
            "validation_loss", "validation_auc", "validation_accuracy", "seconds", "images_per_second");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunReader() {
    }

    public static RunFolder read(Path dir) throws RunFolderException {
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException("run folder " + dir + " does not exist or is not a folder");
        }
        Path predictionsFile = dir.resolve(PREDICTIONS);
        if (!Files.isRegularFile(predictionsFile)) {
            throw new RunFolderException(predictionsFile + " not found: run training first (it writes "
                    + PREDICTIONS + " when it finishes)");
        }
        List<String> notes = new ArrayList<>();
        JsonNode config = readConfig(dir.resolve(CONFIG), notes);
        List<Prediction> predictions = readPredictions(predictionsFile);
        List<EpochRecord> epochs = readEpochs(dir.resolve(EPOCHS), notes);
        RunSummary summary = readSummary(dir.resolve(SUMMARY), notes);
        Optional<RunProvenance> provenance = readProvenance(dir.resolve(PROVENANCE), notes);

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
                    notes.add("predictions.csv has label '" + label + "', which config.yaml does not list");
                    labels.add(label);
                }
            }
        }
        Optional<Path> datasetRoot = summary.datasetRoot().map(Path::of);
        if (datasetRoot.isEmpty() && config.path("data").path("root").isValueNode()) {
            Path root = Path.of(config.path("data").path("root").asText());
            datasetRoot = Optional.of(root.isAbsolute() ? root : dir.resolve(root).normalize());
        }
        List<CheckpointStatus> checkpoints = listCheckpoints(dir.resolve(CHECKPOINTS), predictions, notes);
        return new RunFolder(dir.toAbsolutePath().normalize(), name, labels, datasetRoot, provenance, predictions,
                epochs, summary, checkpoints, notes);
    }

    private static JsonNode readConfig(Path file, List<String> notes) throws RunFolderException {
        return optionalTree(file, YAML, "YAML", CONFIG + " not found; the config name is taken from the folder name",
                notes).orElseGet(JSON::createObjectNode);
    }

    private static Optional<RunProvenance> readProvenance(Path file, List<String> notes) throws RunFolderException {
        return optionalTree(file, JSON, "JSON",
                PROVENANCE + " not found; weights source, backend and git commit are unknown", notes)
                .map(RunReader::provenance);
    }

    private static RunProvenance provenance(JsonNode n) {
        Map<String, String> versions = new LinkedHashMap<>();
        n.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        return new RunProvenance(text(n, "configHash"), text(n, "manifestHash"), n.path("seed").asLong(0),
                text(n, "gitCommit"), text(n, "weightsSource"), versions, text(n, "backend"), text(n, "createdAt"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static RunSummary readSummary(Path file, List<String> notes) throws RunFolderException {
        return optionalTree(file, JSON, "JSON", SUMMARY + " not found; durations and throughput are unknown", notes)
                .map(RunReader::summary).orElseGet(RunSummary::empty);
    }

    private static RunSummary summary(JsonNode n) {
        Optional<String> root = n.path("datasetRoot").isTextual()
                ? Optional.of(n.path("datasetRoot").asText()) : Optional.empty();
        Map<String, Long> counts = new LinkedHashMap<>();
        n.path("counts").fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                counts.put(e.getKey(), e.getValue().asLong());
            }
        });
        return new RunSummary(root, counts, numbers(n.path("durationsSeconds")), numbers(n.path("imagesPerSecond")));
    }

    /**
     * The tree of an optional YAML or JSON file of the run folder; empty, with {@code missingNote} added to the notes,
     * when the file is absent.
     *
     * @throws RunFolderException naming the file when it is not valid {@code format}
     */
    private static Optional<JsonNode> optionalTree(Path file, ObjectMapper mapper, String format, String missingNote,
                                                   List<String> notes) throws RunFolderException {
        if (!Files.isRegularFile(file)) {
            notes.add(missingNote);
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(mapper.readTree(file.toFile()));
        } catch (IOException e) {
            throw new RunFolderException(file + ": not valid " + format + " (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Double> numbers(JsonNode object) {
        Map<String, Double> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble())) {
                out.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return out;
    }

    /** Reads a predictions file in the run-folder format; public so that other tools can read stray files. */
    public static List<Prediction> readPredictions(Path file) throws RunFolderException {
        List<Prediction> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = headerFormat().parse(reader)) {
            requireColumns(file, parser, PREDICTION_COLUMNS);
            for (CSVRecord r : parser) {
                long line = r.getRecordNumber() + 1;
                try {
                    String path = required(r, "path");
                    Split split = parseSplit(required(r, "split"));
                    String model = required(r, "model");
                    String label = required(r, "label");
                    boolean truth = parseTruth(required(r, "truth"));
                    double score = parseScore(r.get("score"));
                    if (!keys.add(path + '\u0000' + split.code() + '\u0000' + model + '\u0000' + label)) {
                        throw new IllegalArgumentException("duplicate row for path '" + path + "', split "
                                + split.code() + ", model '" + model + "', label '" + label + "'");
                    }
                    out.add(new Prediction(path, split, model, label, truth, score));
                } catch (IllegalArgumentException e) {
                    throw new RunFolderException(file + " line " + line + ": " + e.getMessage());
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            throw new RunFolderException(file + ": cannot be parsed as CSV (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static List<EpochRecord> readEpochs(Path file, List<String> notes) throws RunFolderException {
        if (!Files.isRegularFile(file)) {
            notes.add(EPOCHS + " not found; no training curves");
            return List.of();
        }
        List<EpochRecord> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = headerFormat().parse(reader)) {
            requireColumns(file, parser, List.of("model", "label", "phase", "epoch"));
            for (CSVRecord r : parser) {
                long line = r.getRecordNumber() + 1;
                try {
                    int epoch;
                    try {
                        epoch = Integer.parseInt(required(r, "epoch"));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("epoch '" + r.get("epoch") + "' is not an integer");
                    }
                    out.add(new EpochRecord(required(r, "model"), required(r, "label"), required(r, "phase"), epoch,
                            optionalNumber(r, "train_loss"), optionalNumber(r, "validation_loss"),
                            optionalNumber(r, "validation_auc"), optionalNumber(r, "validation_accuracy"),
                            optionalNumber(r, "seconds"), optionalNumber(r, "images_per_second")));
                } catch (IllegalArgumentException e) {
                    throw new RunFolderException(file + " line " + line + ": " + e.getMessage());
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            throw new RunFolderException(file + ": cannot be parsed as CSV (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static CSVFormat headerFormat() {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).build();
    }

    private static void requireColumns(Path file, CSVParser parser, List<String> columns) throws RunFolderException {
        List<String> header = parser.getHeaderNames();
        List<String> missing = columns.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new RunFolderException(file + " line 1: header " + header + " lacks column(s) " + missing
                    + "; expected " + String.join(",", columns));
        }
    }

    private static String required(CSVRecord r, String column) {
        if (!r.isSet(column)) {
            throw new IllegalArgumentException("has " + r.size() + " fields; column '" + column + "' is missing");
        }
        String v = r.get(column);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("column '" + column + "' is empty");
        }
        return v;
    }

    /** Parses {@code train}, {@code validation} or {@code test} (case-insensitive); not {@code unassigned}. */
    private static Split parseSplit(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (Split split : Prediction.SPLITS) {
            if (split.code().equals(wanted)) {
                return split;
            }
        }
        throw new IllegalArgumentException("split '" + text + "' is not one of "
                + Prediction.SPLITS.stream().map(Split::code).collect(Collectors.joining(", ")));
    }

    private static boolean parseTruth(String text) {
        return switch (text) {
            case "1", "1.0", "true" -> true;
            case "0", "0.0", "false" -> false;
            default -> throw new IllegalArgumentException("truth '" + text + "' must be 0 or 1");
        };
    }

    private static double parseScore(String text) {
        if (text == null || text.isEmpty() || text.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        double score;
        try {
            score = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("score '" + text + "' is not a number (write NaN for an image that failed)");
        }
        if (Double.isInfinite(score)) {
            throw new IllegalArgumentException("score '" + text + "' is infinite; scores are probabilities");
        }
        return score;
    }

    private static OptionalDouble optionalNumber(CSVRecord r, String column) {
        if (!r.isSet(column)) {
            return OptionalDouble.empty();
        }
        String text = r.get(column);
        if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not a number");
        }
    }

    private static List<CheckpointStatus> listCheckpoints(Path dir, List<Prediction> predictions, List<String> notes) {
        if (!Files.isDirectory(dir)) {
            notes.add(CHECKPOINTS + "/ not found in the run folder; no model of this run can be served");
        }
        Set<String> pairs = new LinkedHashSet<>();
        predictions.forEach(p -> pairs.add(p.model() + "-" + p.label()));
        List<CheckpointStatus> out = new ArrayList<>();
        Map<String, String[]> split = new LinkedHashMap<>();
        predictions.forEach(p -> split.putIfAbsent(p.model() + "-" + p.label(), new String[]{p.model(), p.label()}));
        for (String stem : pairs) {
            String[] ml = split.get(stem);
            Path sidecar = dir.resolve(stem + "-best.json");
            Path multilabel = dir.resolve(ml[0] + "-multilabel-best.json");
            if (!Files.isRegularFile(sidecar) && Files.isRegularFile(multilabel)) {
                sidecar = multilabel;
            }
            // The sidecar names its zip (<name>-<sha prefix>.zip); without a readable sidecar the zip is unknown.
            Path zip = dir.resolve(stem + "-best.zip");
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
