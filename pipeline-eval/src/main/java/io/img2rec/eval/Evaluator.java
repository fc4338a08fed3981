package io.img2rec.eval;

import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.eval.api.ModelAverages;
import io.img2rec.eval.api.SplitCounts;
import io.img2rec.eval.api.ClassBalance;
import io.img2rec.eval.api.HardExample;
import io.img2rec.core.metrics.ScoredExamples;
import io.img2rec.eval.api.EvaluationOptions;

import io.img2rec.core.ensemble.EnsembleRule;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.metrics.AveragedMetrics;
import io.img2rec.core.metrics.BootstrapInterval;
import io.img2rec.core.metrics.LabelReport;
import io.img2rec.core.metrics.ScoredLabels;
import io.img2rec.core.metrics.ThresholdSelection;
import io.img2rec.core.run.Prediction;
import io.img2rec.eval.run.FinishedRun;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates label models from their predictions: per label, per model and for the ensemble (the {@link EnsembleRule}
 * that serving uses too: weighted mean of the models' scores for the same image path, threshold tuned on the
 * averaged validation scores), on the test split, with each label's threshold chosen on the
 * validation split. Pure: reads and writes no files.
 *
 * <pre>{@code
 * EvaluationResult result = new Evaluator(EvaluationOptions.seeded(42)).evaluate(predictions, List.of("hat"));
 * }</pre>
 */
public final class Evaluator {

    private final EvaluationOptions options;
    private final EnsembleRule rule;

    /** Evaluates with equal ensemble weights (as served unless the server is given architecture weights). */
    public Evaluator(EvaluationOptions options) {
        this(options, EnsembleRule.equalWeights());
    }

    /** Evaluates the ensemble with {@code rule} (weights per model name); its fallback is the default threshold. */
    public Evaluator(EvaluationOptions options, EnsembleRule rule) {
        this.options = Objects.requireNonNull(options, "options");
        this.rule = Objects.requireNonNull(rule, "rule").withFallbackThreshold(options.defaultThreshold());
    }

    /**
     * Evaluates several runs together (e.g. a VGG16 run and a ResNet50 run) so that their models form one ensemble.
     * A model name used by more than one run is renamed {@code <model>@<run folder>} in each of them.
     */
    public EvaluationResult evaluate(List<FinishedRun> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to evaluate");
        }
        Map<String, Integer> runsPerModel = new HashMap<>();
        for (FinishedRun run : runs) {
            run.models().forEach(m -> runsPerModel.merge(m, 1, Integer::sum));
        }
        List<String> notes = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        for (FinishedRun run : runs) {
            labels.addAll(run.labels());
            Set<String> renamed = new TreeSet<>();
            for (Prediction p : run.predictions()) {
                if (runsPerModel.get(p.model()) > 1) {
                    renamed.add(p.model());
                    predictions.add(p.withModel(p.model() + "@" + run.name()));
                } else {
                    predictions.add(p);
                }
            }
            renamed.forEach(m -> notes.add("model '" + m + "' appears in several runs; this run's is reported as '"
                    + m + "@" + run.name() + "'"));
        }
        return evaluate(predictions, List.copyOf(labels), notes);
    }

    /** Evaluates predictions for the given labels (labels with no predictions are reported as such). */
    public EvaluationResult evaluate(List<Prediction> predictions, List<String> labels) {
        return evaluate(predictions, labels, List.of());
    }

    private EvaluationResult evaluate(List<Prediction> predictions, List<String> labelList, List<String> given) {
        List<String> notes = new ArrayList<>(given);
        List<String> labels = new ArrayList<>(labelList);
        Set<String> models = new LinkedHashSet<>();
        // label -> model -> split -> path -> prediction
        Map<String, Map<String, Map<Split, TreeMap<String, Prediction>>>> index = new LinkedHashMap<>();
        Map<Split, Set<String>> pathsPerSplit = new EnumMap<>(Split.class);
        // label -> split -> path -> truth
        Map<String, Map<Split, TreeMap<String, Boolean>>> truths = new HashMap<>();
        for (Prediction p : predictions) {
            models.add(p.model());
            if (!labels.contains(p.label())) {
                labels.add(p.label());
            }
            index.computeIfAbsent(p.label(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(p.model(), k -> new EnumMap<>(Split.class))
                    .computeIfAbsent(p.split(), k -> new TreeMap<>())
                    .put(p.path(), p);
            pathsPerSplit.computeIfAbsent(p.split(), k -> new HashSet<>()).add(p.path());
            Boolean previous = truths.computeIfAbsent(p.label(), k -> new EnumMap<>(Split.class))
                    .computeIfAbsent(p.split(), k -> new TreeMap<>()).putIfAbsent(p.path(), p.truth());
            if (previous != null && previous != p.truth()) {
                throw new IllegalArgumentException("image '" + p.path() + "' on the " + p.split().code()
                        + " split has truth " + (previous ? 1 : 0) + " for '" + p.label()
                        + "' in one model's predictions and " + (p.truth() ? 1 : 0) + " in model '" + p.model()
                        + "'s; the models were not evaluated on "
                        + "the same data");
            }
        }
        Map<Split, Integer> images = new EnumMap<>(Split.class);
        for (Split s : Prediction.SPLITS) {
            images.put(s, pathsPerSplit.getOrDefault(s, Set.of()).size());
        }
        Map<String, Map<Split, ClassBalance>> balance = new LinkedHashMap<>();
        for (String label : labels) {
            Map<Split, ClassBalance> perSplit = new EnumMap<>(Split.class);
            for (Split s : Prediction.SPLITS) {
                var t = truths.getOrDefault(label, Map.of()).getOrDefault(s, new TreeMap<>());
                int pos = (int) t.values().stream().filter(b -> b).count();
                perSplit.put(s, new ClassBalance(pos, t.size() - pos));
            }
            balance.put(label, perSplit);
        }

        List<LabelEvaluation> perLabel = new ArrayList<>();
        for (String label : labels) {
            var byModel = index.getOrDefault(label, Map.of());
            if (byModel.isEmpty()) {
                notes.add("no predictions for label '" + label + "'; it is listed in the config but no model scored it");
                perLabel.add(new LabelEvaluation(label, List.of(), List.of(), List.of()));
                continue;
            }
            List<ModelEvaluation> evaluations = new ArrayList<>();
            for (var e : byModel.entrySet()) {
                evaluations.add(evaluateOne(e.getKey(), label, false,
                        examples(e.getValue().get(Split.VALIDATION)), examples(e.getValue().get(Split.TEST)),
                        new ArrayList<>()));
            }
            List<String> ensembleNotes = new ArrayList<>();
            if (byModel.size() == 1) {
                ensembleNotes.add("the ensemble for '" + label + "' is the single model '"
                        + byModel.keySet().iterator().next() + "'");
            }
            ScoredExamples ensembleValidation = ensembleExamples(label, Split.VALIDATION, byModel, ensembleNotes);
            ScoredExamples ensembleTest = ensembleExamples(label, Split.TEST, byModel, ensembleNotes);
            ModelEvaluation ensemble = evaluateOne(options.ensembleName(), label, true, ensembleValidation,
                    ensembleTest, ensembleNotes);
            evaluations.add(ensemble);
            perLabel.add(new LabelEvaluation(label, evaluations, hardExamples(ensemble, true),
                    hardExamples(ensemble, false)));
        }

        List<ModelAverages> averages = new ArrayList<>();
        List<String> averaged = new ArrayList<>(models);
        averaged.add(options.ensembleName());
        for (String model : averaged) {
            List<LabelReport> atDefault = new ArrayList<>();
            List<LabelReport> atTuned = new ArrayList<>();
            for (LabelEvaluation le : perLabel) {
                for (ModelEvaluation me : le.models()) {
                    boolean match = model.equals(options.ensembleName()) ? me.ensemble()
                            : !me.ensemble() && me.model().equals(model);
                    if (match) {
                        atDefault.add(me.atDefault());
                        atTuned.add(me.atTuned());
                    }
                }
            }
            if (!atDefault.isEmpty()) {
                averages.add(new ModelAverages(model, AveragedMetrics.of(atDefault), AveragedMetrics.of(atTuned)));
            }
        }
        return new EvaluationResult(labels, List.copyOf(models), perLabel, averages,
                new SplitCounts(images, balance), options, notes);
    }

    private ModelEvaluation evaluateOne(String model, String label, boolean ensemble, ScoredExamples validation,
                                        ScoredExamples test, List<String> notes) {
        ScoredLabels v = validation.toScoredLabels("'" + label + "' (" + model + ") on the validation split");
        ScoredLabels t = test.toScoredLabels("'" + label + "' (" + model + ") on the test split");
        ThresholdSelection threshold = ensemble ? rule.threshold(v) : ThresholdSelection.maxF1(v, options.defaultThreshold());
        threshold.fallbackReason().ifPresent(r -> notes.add("threshold: " + r));
        v.nanNote().ifPresent(notes::add);
        t.nanNote().ifPresent(notes::add);
        return new ModelEvaluation(model, label, ensemble,
                LabelReport.of(label, t, options.defaultThreshold()),
                LabelReport.of(label, t, threshold.threshold()), threshold,
                BootstrapInterval.rocAuc(t, options.bootstrap()),
                BootstrapInterval.f1(t, threshold.threshold(), options.bootstrap()),
                validation, test, notes);
    }

    private static ScoredExamples examples(TreeMap<String, Prediction> rows) {
        if (rows == null || rows.isEmpty()) {
            return ScoredExamples.empty();
        }
        List<String> paths = new ArrayList<>(rows.keySet());
        boolean[] truth = new boolean[paths.size()];
        double[] scores = new double[paths.size()];
        int i = 0;
        for (Prediction p : rows.values()) {
            truth[i] = p.truth();
            scores[i] = p.score();
            i++;
        }
        return new ScoredExamples(paths, truth, scores);
    }

    /** The models' scores averaged per image path by the ensemble rule; an image some model did not score is NaN. */
    private ScoredExamples ensembleExamples(String label, Split split,
                                            Map<String, Map<Split, TreeMap<String, Prediction>>> byModel,
                                            List<String> notes) {
        Map<String, Map<String, EnsembleRule.Scored>> scored = new TreeMap<>();
        for (var e : byModel.entrySet()) {
            Map<String, EnsembleRule.Scored> rows = new TreeMap<>();
            e.getValue().getOrDefault(split, new TreeMap<>())
                    .forEach((path, p) -> rows.put(path, new EnsembleRule.Scored(p.truth(), p.score())));
            scored.put(e.getKey(), rows);
        }
        EnsembleRule.Averaged averaged = rule.average(scored);
        if (!averaged.incomplete().isEmpty()) {
            notes.add(averaged.incomplete().size() + " " + split.code() + " image(s) for '" + label
                    + "' lack a score from some model and are excluded from the ensemble (e.g. "
                    + averaged.incomplete().iterator().next() + ")");
        }
        return averaged.examples();
    }

    private List<HardExample> hardExamples(ModelEvaluation ensemble, boolean falsePositives) {
        double t = ensemble.threshold().threshold();
        ScoredExamples test = ensemble.test();
        List<HardExample> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            double s = test.scoreAt(i);
            if (Double.isNaN(s)) {
                continue;
            }
            boolean positive = s >= t;
            if (falsePositives && !test.truthAt(i) && positive) {
                out.add(new HardExample(test.paths().get(i), ensemble.label(), false, s, true));
            } else if (!falsePositives && test.truthAt(i) && !positive) {
                out.add(new HardExample(test.paths().get(i), ensemble.label(), true, s, false));
            }
        }
        Comparator<HardExample> byScore = Comparator.comparingDouble(HardExample::score);
        out.sort(falsePositives ? byScore.reversed().thenComparing(HardExample::path)
                : byScore.thenComparing(HardExample::path));
        return List.copyOf(out.subList(0, Math.min(out.size(), options.hardExamples())));
    }
}
