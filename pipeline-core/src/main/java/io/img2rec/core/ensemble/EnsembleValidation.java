package io.img2rec.core.ensemble;

import io.img2rec.core.manifest.Split;
import io.img2rec.core.run.Prediction;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validation-split scores the {@link EnsembleRule} tunes thresholds on: label → model key → image → score and
 * truth, as the run folders' {@code predictions.csv} hold them (so serving tunes on exactly the numbers the report
 * evaluates). Immutable.
 */
public final class EnsembleValidation {
    private static final EnsembleValidation NONE = new EnsembleValidation(Map.of());

    private final Map<String, Map<String, Map<String, EnsembleRule.Scored>>> byLabel;

    private EnsembleValidation(Map<String, Map<String, Map<String, EnsembleRule.Scored>>> byLabel) {
        this.byLabel = byLabel;
    }

    /** No validation scores (models imported without a run folder): thresholds come from the models themselves. */
    public static EnsembleValidation none() {
        return NONE;
    }

    /** The validation rows of {@code predictions}, keyed by their {@code model} column (the architecture's name). */
    public static EnsembleValidation of(List<Prediction> predictions) {
        Map<String, Map<String, Map<String, EnsembleRule.Scored>>> byLabel = new TreeMap<>();
        for (Prediction p : predictions) {
            if (p.split() != Split.VALIDATION) {
                continue;
            }
            byLabel.computeIfAbsent(p.label(), l -> new TreeMap<>()).computeIfAbsent(p.model(), m -> new TreeMap<>())
                    .put(p.path(), new EnsembleRule.Scored(p.truth(), p.score()));
        }
        return new EnsembleValidation(freeze(byLabel));
    }

    /** Both sets together; a (label, model) present in both must not be given twice. */
    public EnsembleValidation with(EnsembleValidation other) {
        Map<String, Map<String, Map<String, EnsembleRule.Scored>>> merged = new TreeMap<>();
        for (var source : List.of(byLabel, other.byLabel)) {
            for (var label : source.entrySet()) {
                for (var model : label.getValue().entrySet()) {
                    var previous = merged.computeIfAbsent(label.getKey(), l -> new TreeMap<>())
                            .put(model.getKey(), model.getValue());
                    if (previous != null) {
                        throw new IllegalArgumentException("validation scores of model '" + model.getKey()
                                + "' for label '" + label.getKey() + "' come from two run folders; serve one of them");
                    }
                }
            }
        }
        return new EnsembleValidation(freeze(merged));
    }

    /** Model key → image → score for one label; empty when there are none. */
    public Map<String, Map<String, EnsembleRule.Scored>> forLabel(String label) {
        return byLabel.getOrDefault(label, Map.of());
    }

    private static Map<String, Map<String, Map<String, EnsembleRule.Scored>>> freeze(
            Map<String, Map<String, Map<String, EnsembleRule.Scored>>> map) {
        Map<String, Map<String, Map<String, EnsembleRule.Scored>>> out = new TreeMap<>();
        map.forEach((label, models) -> {
            Map<String, Map<String, EnsembleRule.Scored>> m = new TreeMap<>();
            models.forEach((model, rows) -> m.put(model, Collections.unmodifiableMap(new TreeMap<>(rows))));
            out.put(label, Collections.unmodifiableMap(m));
        });
        return Collections.unmodifiableMap(out);
    }
}
