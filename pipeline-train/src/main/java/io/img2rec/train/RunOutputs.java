package io.img2rec.train;

import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.run.Prediction;
import io.img2rec.core.run.RunSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished training's outcome as the run folder's typed rows: the rows of {@code predictions.csv} and the
 * {@code run-summary.json} record. The files' formats belong to {@code io.img2rec.core.run}.
 */
final class RunOutputs {
    private RunOutputs() {
    }

    /**
     * For every model whose best epoch scored the images: one row per image of the train, validation and test splits
     * and per label it scores; NaN for an image that could not be scored.
     */
    static List<Prediction> predictions(String architecture, Manifest manifest, ArchitectureTraining.Outcome outcome) {
        List<Prediction> rows = new ArrayList<>();
        List<ManifestEntry> entries = manifest.entries();
        for (ArchitectureTraining.ModelOutcome model : outcome.models()) {
            if (model.bestScores() == null) {
                continue;
            }
            for (int i = 0; i < entries.size(); i++) {
                ManifestEntry entry = entries.get(i);
                if (!Prediction.SPLITS.contains(entry.split())) {
                    continue; // an image without a split is never scored
                }
                double[] scores = model.bestScores()[i];
                for (int o = 0; o < model.spec().outputs(); o++) {
                    String label = model.spec().labels().get(o);
                    rows.add(new Prediction(entry.path(), entry.split(), architecture, label, entry.hasLabel(label),
                            scores == null ? Double.NaN : scores[o]));
                }
            }
        }
        return rows;
    }

    /** Counts per split, stage durations (with {@code total}), throughput, failures and each model's best epoch. */
    static RunSummary summary(Path datasetRoot, Manifest manifest, ArchitectureTraining.Outcome outcome,
                              double totalSeconds) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            int n = manifest.entries(split).size();
            if (n > 0) {
                counts.put(split.code(), (long) n);
            }
        }
        Map<String, Double> durations = new LinkedHashMap<>(outcome.seconds());
        durations.put("total", totalSeconds);
        List<RunSummary.BestModel> best = new ArrayList<>();
        for (ArchitectureTraining.ModelOutcome model : outcome.models()) {
            best.add(new RunSummary.BestModel(model.spec().name(),
                    model.bestPhase() == null ? null : model.bestPhase().code(), model.bestEpoch(),
                    model.thresholds()));
        }
        return RunSummary.of(datasetRoot, counts, durations, outcome.imagesPerSecond(), outcome.failedImages().size(),
                best);
    }
}
