package io.img2rec.eval.run;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code run-summary.json} says; every part may be absent.
 *
 * @param datasetRoot      absolute dataset root the prediction paths are relative to
 * @param counts           images per split name
 * @param durationsSeconds seconds per stage ({@code cache}, {@code top}, {@code fine_tune}, {@code total})
 * @param imagesPerSecond  throughput per stage
 */
public record RunSummary(Optional<String> datasetRoot, Map<String, Long> counts, Map<String, Double> durationsSeconds,
                         Map<String, Double> imagesPerSecond) {

    public RunSummary {
        counts = Map.copyOf(counts);
        durationsSeconds = Map.copyOf(durationsSeconds);
        imagesPerSecond = Map.copyOf(imagesPerSecond);
    }

    public static RunSummary empty() {
        return new RunSummary(Optional.empty(), Map.of(), Map.of(), Map.of());
    }
}
