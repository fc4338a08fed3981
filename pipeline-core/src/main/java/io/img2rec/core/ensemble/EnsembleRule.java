package io.img2rec.core.ensemble;

import io.img2rec.core.metrics.ScoredExamples;
import io.img2rec.core.metrics.ScoredLabels;
import io.img2rec.core.metrics.ThresholdSelection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one ensemble rule of img2rec, used by evaluation and by serving:
 * <ol>
 *   <li><b>Score</b>: a label's ensemble score for an image is the weighted mean of the scores of the models that
 *       cover the label, {@code Σ w_m s_m / Σ w_m}, with one weight per model key (the architecture's config name,
 *       e.g. {@code vgg16}); a model without a weight counts 1. One NaN score makes the mean NaN.</li>
 *   <li><b>Threshold</b>: the label's decision threshold is the max-F1 threshold of that <em>averaged</em> score on
 *       the validation split ({@link ThresholdSelection#maxF1}: ties go to the largest threshold), or the fallback
 *       (0.5 unless given) when validation cannot choose one. It is not an average of the models' own thresholds.
 *       A label covered by one model gets that model's max-F1 threshold on the same validation scores.</li>
 *   <li><b>Decision</b>: positive when {@code score >= threshold}.</li>
 * </ol>
 * Images that some model did not score are NaN in the average and so excluded from threshold choice (and counted
 * in {@link Averaged#incomplete()}). Immutable and thread-safe.
 */
public final class EnsembleRule {
    private final Map<String, Double> weights;
    private final double fallbackThreshold;

    private EnsembleRule(Map<String, Double> weights, double fallbackThreshold) {
        for (var e : weights.entrySet()) {
            if (!(e.getValue() > 0) || Double.isInfinite(e.getValue())) {
                throw new IllegalArgumentException("ensemble weight of '" + e.getKey() + "' must be a finite number > 0, "
                        + "got " + e.getValue());
            }
        }
        if (!(fallbackThreshold >= 0 && fallbackThreshold <= 1)) {
            throw new IllegalArgumentException("fallback threshold " + fallbackThreshold + " is not in [0, 1]");
        }
        this.weights = Collections.unmodifiableMap(new TreeMap<>(weights));
        this.fallbackThreshold = fallbackThreshold;
    }

    /** Every model weighs 1; fallback threshold {@value ThresholdSelection#DEFAULT_FALLBACK}. */
    public static EnsembleRule equalWeights() {
        return new EnsembleRule(Map.of(), ThresholdSelection.DEFAULT_FALLBACK);
    }

    /** Weights per model key (absent keys weigh 1); fallback threshold {@value ThresholdSelection#DEFAULT_FALLBACK}. */
    public static EnsembleRule weighted(Map<String, Double> weights) {
        return new EnsembleRule(Objects.requireNonNull(weights, "weights"), ThresholdSelection.DEFAULT_FALLBACK);
    }

    /** The same weights with another fallback threshold (used when validation cannot choose one). */
    public EnsembleRule withFallbackThreshold(double threshold) {
        return new EnsembleRule(weights, threshold);
    }

    /** The weights given explicitly, by model key. */
    public Map<String, Double> weights() {
        return weights;
    }

    public double fallbackThreshold() {
        return fallbackThreshold;
    }

    /** The weight of a model key: the one given, else 1. */
    public double weight(String model) {
        return weights.getOrDefault(model, 1.0);
    }

    /** The ensemble score from each model's score for one image and label (model key → score). */
    public double score(Map<String, Double> scoreByModel) {
        if (scoreByModel.isEmpty()) {
            throw new IllegalArgumentException("no model scores to average");
        }
        double sum = 0;
        double total = 0;
        // a fixed order (the model keys sorted): the same sum everywhere
        Map<String, Double> sorted = scoreByModel instanceof java.util.SortedMap<String, Double> s
                && s.comparator() == null ? scoreByModel : new TreeMap<>(scoreByModel);
        for (var e : sorted.entrySet()) {
            double w = weight(e.getKey());
            sum += w * e.getValue();
            total += w;
        }
        return sum / total;
    }

    /** Whether the ensemble score says the label is present. */
    public static boolean decide(double score, double threshold) {
        return score >= threshold;
    }

    /** One model's score and truth for one image. */
    public record Scored(boolean truth, double score) {
    }

    /**
     * The ensemble scores of a set of images.
     *
     * @param examples   image keys (sorted), truth and ensemble score per image, NaN where some model did not score it
     * @param incomplete images lacking a score from some model
     */
    public record Averaged(ScoredExamples examples, Set<String> incomplete) {
        public Averaged {
            Objects.requireNonNull(examples, "examples");
            incomplete = Collections.unmodifiableSet(new TreeSet<>(incomplete));
        }
    }

    /**
     * Averages the models' scores image by image.
     *
     * @param byModel model key → image key → score and truth (all for one label and one split)
     * @throws IllegalArgumentException when two models disagree on an image's truth
     */
    public Averaged average(Map<String, Map<String, Scored>> byModel) {
        TreeMap<String, Boolean> truthByPath = new TreeMap<>();
        for (var model : byModel.entrySet()) {
            for (var row : model.getValue().entrySet()) {
                Boolean previous = truthByPath.putIfAbsent(row.getKey(), row.getValue().truth());
                if (previous != null && previous != row.getValue().truth()) {
                    throw new IllegalArgumentException("image '" + row.getKey() + "' has truth " + (previous ? 1 : 0)
                            + " in one model's scores and " + (row.getValue().truth() ? 1 : 0) + " in model '"
                            + model.getKey() + "''s; the models were not scored on the same data");
                }
            }
        }
        List<String> paths = new ArrayList<>(truthByPath.keySet());
        boolean[] truth = new boolean[paths.size()];
        double[] scores = new double[paths.size()];
        Set<String> incomplete = new TreeSet<>();
        List<String> models = new ArrayList<>(new TreeSet<>(byModel.keySet()));
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            truth[i] = truthByPath.get(path);
            double sum = 0;
            double total = 0;
            for (String model : models) {
                Scored s = byModel.get(model).get(path);
                double w = weight(model);
                if (s == null) {
                    incomplete.add(path);
                    sum = Double.NaN;
                } else {
                    sum += w * s.score();
                }
                total += w;
            }
            scores[i] = sum / total;
        }
        return new Averaged(new ScoredExamples(paths, truth, scores), incomplete);
    }

    /** The decision threshold of the averaged validation scores of one label (max F1, else the fallback). */
    public ThresholdSelection threshold(Averaged validation, String description) {
        return threshold(validation.examples().toScoredLabels(description));
    }

    /** The decision threshold of averaged validation scores given as scored labels. */
    public ThresholdSelection threshold(ScoredLabels averagedValidation) {
        return ThresholdSelection.maxF1(averagedValidation, fallbackThreshold);
    }

    /** Where a served label's threshold came from. */
    public enum ThresholdSource {
        /** Tuned on the averaged validation scores of every model that covers the label (the rule). */
        TUNED_ON_VALIDATION,
        /** One model covers the label and its validation scores are not at hand: its own (tuned) threshold. */
        MODEL_OWN,
        /** Several models without validation scores for all of them: the fallback threshold. */
        FALLBACK,
        /** A fixed threshold the caller chose for every label (e.g. the original's 0.5), not the rule's. */
        FIXED
    }

    /**
     * A label's decision threshold and where it came from.
     *
     * @param note why, when it is not {@link ThresholdSource#TUNED_ON_VALIDATION}
     */
    public record LabelThreshold(double threshold, ThresholdSource source, String note) {
    }

    /**
     * The threshold of one served label: {@link #threshold(Map, String)} on the validation scores of the models
     * that cover it when all of them have some; else the single model's own threshold; else the fallback.
     *
     * @param ownThresholds model key → that model's own threshold, for the models that cover {@code label}
     */
    public LabelThreshold thresholdFor(String label, Map<String, Double> ownThresholds, EnsembleValidation validation) {
        Map<String, Map<String, Scored>> available = validation.forLabel(label);
        Map<String, Map<String, Scored>> used = new TreeMap<>();
        for (String model : ownThresholds.keySet()) {
            Map<String, Scored> rows = available.get(model);
            if (rows == null || rows.isEmpty()) {
                used = null;
                break;
            }
            used.put(model, rows);
        }
        if (used != null && !used.isEmpty()) {
            return new LabelThreshold(threshold(used, label).threshold(), ThresholdSource.TUNED_ON_VALIDATION, "");
        }
        if (ownThresholds.size() == 1) {
            var only = ownThresholds.entrySet().iterator().next();
            return new LabelThreshold(only.getValue(), ThresholdSource.MODEL_OWN, "no validation scores of '"
                    + only.getKey() + "' for '" + label + "' (no predictions.csv beside its checkpoints): its own "
                    + "threshold");
        }
        return new LabelThreshold(fallbackThreshold, ThresholdSource.FALLBACK, "the validation scores of "
                + ownThresholds.keySet() + " for '" + label + "' are not all at hand (serve run folders, not copied "
                + "checkpoints, to tune the ensemble): fallback threshold " + fallbackThreshold);
    }

    /** Shorthand: the threshold of one label from each model's validation scores. */
    public ThresholdSelection threshold(Map<String, Map<String, Scored>> validationByModel, String label) {
        return threshold(average(validationByModel), "'" + label + "' (ensemble) on the validation split");
    }
}
