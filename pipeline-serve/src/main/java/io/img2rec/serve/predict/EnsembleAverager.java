package io.img2rec.serve.predict;

import io.img2rec.core.image.RgbImage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Averages each label's score over the models that cover it, weighted per architecture (weight 1 for an architecture
 * not named). A label's decision threshold is the same weighted average of those models' thresholds, so a label
 * covered by one architecture keeps that model's threshold exactly. Stateless apart from the models it is given;
 * thread-safe when they are.
 */
public final class EnsembleAverager {
    private final List<ScoringModel> models;
    private final Map<String, Double> architectureWeights;
    private final Map<String, Double> thresholds;

    public EnsembleAverager(List<ScoringModel> models, Map<String, Double> architectureWeights) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        for (var entry : architectureWeights.entrySet()) {
            if (!(entry.getValue() > 0) || !Double.isFinite(entry.getValue())) {
                throw new IllegalArgumentException("weight of architecture " + entry.getKey()
                        + " must be a finite number > 0, got " + entry.getValue());
            }
        }
        this.models = List.copyOf(models);
        this.architectureWeights = Map.copyOf(architectureWeights);
        Map<String, double[]> sums = new TreeMap<>();
        for (ScoringModel model : models) {
            double weight = weightOf(model);
            for (String label : model.card().labels()) {
                double[] s = sums.computeIfAbsent(label, l -> new double[2]);
                s[0] += weight * model.card().thresholds().get(label);
                s[1] += weight;
            }
        }
        Map<String, Double> t = new TreeMap<>();
        sums.forEach((label, s) -> t.put(label, s[0] / s[1]));
        this.thresholds = Collections.unmodifiableMap(t);
    }

    private double weightOf(ScoringModel model) {
        return architectureWeights.getOrDefault(model.card().architecture(), 1.0);
    }

    /** Labels covered, sorted. */
    public List<String> labels() {
        return List.copyOf(thresholds.keySet());
    }

    /** The averaged decision threshold per label. */
    public Map<String, Double> thresholds() {
        return thresholds;
    }

    /** Scores crops with every model (each batch once per model) and averages per label. */
    public List<CropScores> score(List<RgbImage> crops) {
        if (crops.isEmpty()) {
            return List.of();
        }
        List<double[][]> outputs = new ArrayList<>();
        for (ScoringModel model : models) {
            double[][] out = model.score(crops);
            if (out.length != crops.size()) {
                throw new IllegalStateException("model " + model.card().name() + " returned " + out.length
                        + " rows for " + crops.size() + " crops");
            }
            outputs.add(out);
        }
        List<CropScores> result = new ArrayList<>();
        for (int c = 0; c < crops.size(); c++) {
            Map<String, Map<String, Double>> perModel = new TreeMap<>();
            Map<String, double[]> sums = new TreeMap<>();
            for (int m = 0; m < models.size(); m++) {
                ModelCard card = models.get(m).card();
                double weight = weightOf(models.get(m));
                for (int l = 0; l < card.labels().size(); l++) {
                    String label = card.labels().get(l);
                    double score = outputs.get(m)[c][l];
                    perModel.computeIfAbsent(label, k -> new TreeMap<>()).put(card.architecture(), score);
                    double[] s = sums.computeIfAbsent(label, k -> new double[2]);
                    s[0] += weight * score;
                    s[1] += weight;
                }
            }
            Map<String, Double> averaged = new TreeMap<>();
            sums.forEach((label, s) -> averaged.put(label, s[0] / s[1]));
            result.add(new CropScores(perModel, averaged));
        }
        return result;
    }
}
