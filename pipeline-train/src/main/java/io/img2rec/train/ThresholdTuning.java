package io.img2rec.train;

import io.img2rec.core.metrics.ScoredLabels;
import io.img2rec.core.metrics.ThresholdSelection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each output's decision threshold, tuned for the best F1 on the validation images. */
final class ThresholdTuning {
    private ThresholdTuning() {
    }

    /**
     * @param labels     the model's labels, in output order
     * @param truth      truth[image][output] in {0, 1}
     * @param scores     scores[image][output]; null rows (images that could not be loaded) are left out
     * @param validation the validation images' indices
     * @return label → max-F1 threshold, in output order
     */
    static Map<String, Double> maxF1(List<String> labels, float[][] truth, double[][] scores,
                                     List<Integer> validation) {
        List<Integer> scored = validation.stream().filter(i -> scores[i] != null).toList();
        Map<String, Double> out = new LinkedHashMap<>();
        for (int o = 0; o < labels.size(); o++) {
            boolean[] t = new boolean[scored.size()];
            double[] s = new double[scored.size()];
            for (int i = 0; i < scored.size(); i++) {
                t[i] = truth[scored.get(i)][o] > 0.5f;
                s[i] = scores[scored.get(i)][o];
            }
            out.put(labels.get(o), ThresholdSelection.maxF1(ScoredLabels.of(t, s)).threshold());
        }
        return out;
    }
}
