package io.img2rec.core.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code run-summary.json}: what a finished training run did, bound with {@link RunJson}. Undefined numbers (NaN,
 * infinities) are left out of the maps. A file without {@code formatVersion} (written before versions were recorded)
 * is version 1; fields a file lacks read as empty.
 *
 * @param formatVersion    the file's format version ({@link #FORMAT_VERSION} when written by this build)
 * @param datasetRoot      the absolute dataset root the prediction paths are relative to; null when unknown
 * @param counts           images per split code ({@code train}, {@code validation}, {@code test}, …)
 * @param durationsSeconds seconds per stage ({@code cache}, {@code top}, {@code fine_tune}, {@code total})
 * @param imagesPerSecond  throughput per stage
 * @param failedImages     images that could not be decoded or scored
 * @param best             for each trained model, where its best epoch was and its decision thresholds
 */
public record RunSummary(int formatVersion, String datasetRoot, Map<String, Long> counts,
                         Map<String, Double> durationsSeconds, Map<String, Double> imagesPerSecond, int failedImages,
                         List<BestModel> best) {
    /** The version written, and the newest read. */
    public static final int FORMAT_VERSION = 1;

    public RunSummary {
        counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        durationsSeconds = finite(durationsSeconds);
        imagesPerSecond = finite(imagesPerSecond);
        best = best == null ? List.of() : List.copyOf(best);
    }

    /**
     * The best epoch of one trained model.
     *
     * @param model      the model's name: its label, or {@code multilabel}
     * @param bestPhase  {@code top} or {@code fine_tune}; empty when no epoch was best
     * @param bestEpoch  1-based epoch within that phase
     * @param thresholds decision threshold per label
     */
    public record BestModel(String model, String bestPhase, int bestEpoch, Map<String, Double> thresholds) {
        public BestModel {
            thresholds = finite(thresholds);
        }
    }

    /** A summary of this build's format version. */
    public static RunSummary of(Path datasetRoot, Map<String, Long> counts, Map<String, Double> durationsSeconds,
                                Map<String, Double> imagesPerSecond, int failedImages, List<BestModel> best) {
        return new RunSummary(FORMAT_VERSION, datasetRoot == null ? null : datasetRoot.toString(), counts,
                durationsSeconds, imagesPerSecond, failedImages, best);
    }

    /** What is known without a {@code run-summary.json}: nothing. */
    public static RunSummary empty() {
        return new RunSummary(FORMAT_VERSION, null, Map.of(), Map.of(), Map.of(), 0, List.of());
    }

    /** {@link #datasetRoot()} as a path, when known. */
    public Optional<Path> datasetRootPath() {
        return datasetRoot == null || datasetRoot.isBlank() ? Optional.empty() : Optional.of(Path.of(datasetRoot));
    }

    /** Writes {@code summary} to {@code file} atomically. */
    public static void write(Path file, RunSummary summary) throws IOException {
        RunJson.write(file, summary);
    }

    /**
     * Reads {@code file}.
     *
     * @throws RunFormatException naming the file when it is missing, malformed or of a version this build cannot read
     */
    public static RunSummary read(Path file) throws RunFormatException {
        return RunJson.readVersioned(file, RunSummary.class, FORMAT_VERSION, "run summary", true);
    }

    private static Map<String, Double> finite(Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) {
                    out.put(k, v);
                }
            });
        }
        return Collections.unmodifiableMap(out);
    }
}
