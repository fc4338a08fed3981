package io.img2rec.serve.predict;

import io.img2rec.core.ensemble.EnsembleRule;
import io.img2rec.core.ensemble.EnsembleValidation;
import io.img2rec.core.image.RgbImage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores crops with every model and averages each label over the models that cover it by the one
 * {@link EnsembleRule} that evaluation uses too: weighted mean (weight per architecture, 1 when not named), decision
 * threshold tuned on the averaged validation scores from the run folders' {@code predictions.csv} — so the served
 * ensemble is the report's. Without validation scores for every model of a label, a label covered by one model keeps
 * that model's threshold and one covered by several falls back (logged once). Stateless apart from the models it is
 * given; thread-safe when they are.
 */
public final class EnsembleAverager {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EnsembleAverager.class);
    private final List<ScoringModel> models;
    private final EnsembleRule rule;
    private final Map<String, EnsembleRule.LabelThreshold> thresholds;
    private final Map<String, Double> thresholdValues;

    /** Weights per architecture, no validation scores (the models' own thresholds, see the class comment). */
    public EnsembleAverager(List<ScoringModel> models, Map<String, Double> architectureWeights) {
        this(models, EnsembleRule.weighted(architectureWeights), EnsembleValidation.none());
    }

    public EnsembleAverager(List<ScoringModel> models, EnsembleRule rule, EnsembleValidation validation) {
        this(models, rule, validation, java.util.OptionalDouble.empty());
    }

    /** As above; with {@code fixedThreshold}, every label is decided at that threshold instead (the original's 0.5). */
    public EnsembleAverager(List<ScoringModel> models, EnsembleRule rule, EnsembleValidation validation,
                            java.util.OptionalDouble fixedThreshold) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        this.models = List.copyOf(models);
        this.rule = rule;
        Map<String, Map<String, Double>> own = new TreeMap<>();
        for (ScoringModel model : models) {
            for (String label : model.card().labels()) {
                own.computeIfAbsent(label, l -> new TreeMap<>())
                        .put(model.card().architecture(), model.card().thresholds().get(label));
            }
        }
        Map<String, EnsembleRule.LabelThreshold> t = new TreeMap<>();
        own.forEach((label, byModel) -> {
            EnsembleRule.LabelThreshold threshold = fixedThreshold.isPresent()
                    ? new EnsembleRule.LabelThreshold(fixedThreshold.getAsDouble(), EnsembleRule.ThresholdSource.FIXED,
                    "fixed threshold " + fixedThreshold.getAsDouble() + " (as asked)")
                    : rule.thresholdFor(label, byModel, validation);
            if (threshold.source() != EnsembleRule.ThresholdSource.TUNED_ON_VALIDATION
                    && threshold.source() != EnsembleRule.ThresholdSource.FIXED) {
                LOG.info("ensemble threshold of '{}': {}", label, threshold.note());
            }
            t.put(label, threshold);
        });
        this.thresholds = Collections.unmodifiableMap(t);
        Map<String, Double> values = new TreeMap<>();
        t.forEach((label, threshold) -> values.put(label, threshold.threshold()));
        this.thresholdValues = Collections.unmodifiableMap(values);
    }


    /** Labels covered, sorted. */
    public List<String> labels() {
        return List.copyOf(thresholds.keySet());
    }

    /** The ensemble's decision threshold per label. */
    public Map<String, Double> thresholds() {
        return thresholdValues;
    }

    /** Each label's threshold with where it came from. */
    public Map<String, EnsembleRule.LabelThreshold> thresholdSources() {
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
            for (int m = 0; m < models.size(); m++) {
                ModelCard card = models.get(m).card();
                for (int l = 0; l < card.labels().size(); l++) {
                    perModel.computeIfAbsent(card.labels().get(l), k -> new TreeMap<>())
                            .put(card.architecture(), outputs.get(m)[c][l]);
                }
            }
            Map<String, Double> averaged = new TreeMap<>();
            perModel.forEach((label, scores) -> averaged.put(label, rule.score(scores)));
            result.add(new CropScores(perModel, averaged));
        }
        return result;
    }

    /**
     * Scores several images' crops as one batch (one pass per model over all of them) and hands each image its own
     * crops' scores back, in order: the batching of serving a folder and of batching concurrent requests.
     */
    public List<List<CropScores>> scoreTogether(List<List<RgbImage>> cropsPerImage) {
        List<RgbImage> all = new ArrayList<>();
        cropsPerImage.forEach(all::addAll);
        List<CropScores> scores = score(all);
        List<List<CropScores>> perImage = new ArrayList<>(cropsPerImage.size());
        int from = 0;
        for (List<RgbImage> crops : cropsPerImage) {
            perImage.add(List.copyOf(scores.subList(from, from + crops.size())));
            from += crops.size();
        }
        return perImage;
    }
}
