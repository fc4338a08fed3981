package io.img2rec.core.split;

import io.img2rec.core.manifest.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multilabel iterative stratification after Sechidis, Tsoumakas and Vlahavas (2011), "On the stratification of
 * multi-label data".
 *
 * <p>Each subset (train, validation, test) gets a desired number of examples ({@code n × ratio}) and, for every label,
 * a desired number of that label's positives. Labels are then handled rarest first: the label with the fewest
 * still-unassigned examples is taken, and each of its examples goes to the subset that most wants that label (ties:
 * the subset that most wants examples overall, then a seeded random choice). Assigning an example lowers the desires of
 * its subset for every label it carries. Examples without labels are spread by overall desire at the end.
 *
 * <p>Deterministic: examples are shuffled with {@link SplittableRandom} from the seed, starting from the order the
 * caller gives (which must be canonical, e.g. sorted by content hash); no thread or hash-map order is involved.
 */
public final class IterativeStratifier {

    private static final Split[] SUBSETS = {Split.TRAIN, Split.VALIDATION, Split.TEST};

    private final SplitRatios ratios;
    private final long seed;

    public IterativeStratifier(SplitRatios ratios, long seed) {
        this.ratios = java.util.Objects.requireNonNull(ratios, "ratios");
        this.seed = seed;
    }

    /**
     * @param labelSets one row per example, in canonical order; {@code labelSets[i][l]} says whether example i has label l.
     *                  All rows must have the same length (the number of labels).
     * @return the split of each example, aligned with {@code labelSets}
     * @throws IllegalArgumentException when there are no examples or rows differ in length
     */
    public Split[] assign(boolean[][] labelSets) {
        int n = labelSets.length;
        if (n == 0) {
            throw new IllegalArgumentException("cannot split zero examples: the manifest is empty (did the scan reject everything?)");
        }
        int labels = labelSets[0].length;
        for (int i = 0; i < n; i++) {
            if (labelSets[i].length != labels) {
                throw new IllegalArgumentException("example " + i + " has " + labelSets[i].length + " label flags, expected " + labels);
            }
        }
        int k = SUBSETS.length;
        double[] ratio = new double[k];
        for (int j = 0; j < k; j++) {
            ratio[j] = ratios.of(SUBSETS[j]);
        }

        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }

        double[] desired = new double[k];
        double[][] desiredPerLabel = new double[k][labels];
        int[] positives = new int[labels];
        for (boolean[] row : labelSets) {
            for (int l = 0; l < labels; l++) {
                if (row[l]) {
                    positives[l]++;
                }
            }
        }
        for (int j = 0; j < k; j++) {
            desired[j] = n * ratio[j];
            for (int l = 0; l < labels; l++) {
                desiredPerLabel[j][l] = positives[l] * ratio[j];
            }
        }

        Split[] result = new Split[n];
        int[] remaining = positives.clone();
        boolean[] assigned = new boolean[n];
        while (true) {
            int label = rarestRemainingLabel(remaining);
            if (label < 0) {
                break;
            }
            for (int i : order) {
                if (assigned[i] || !labelSets[i][label]) {
                    continue;
                }
                int subset = choose(desiredPerLabel, label, desired, ratio, random);
                result[i] = SUBSETS[subset];
                assigned[i] = true;
                desired[subset] -= 1;
                for (int l = 0; l < labels; l++) {
                    if (labelSets[i][l]) {
                        desiredPerLabel[subset][l] -= 1;
                        remaining[l]--;
                    }
                }
            }
        }
        for (int i : order) {
            if (!assigned[i]) {
                int subset = choose(null, -1, desired, ratio, random);
                result[i] = SUBSETS[subset];
                assigned[i] = true;
                desired[subset] -= 1;
            }
        }
        return result;
    }

    private static int rarestRemainingLabel(int[] remaining) {
        int best = -1;
        for (int l = 0; l < remaining.length; l++) {
            if (remaining[l] > 0 && (best < 0 || remaining[l] < remaining[best])) {
                best = l;
            }
        }
        return best;
    }

    /**
     * The subset with the largest desire for {@code label} (or none when label &lt; 0), then the largest overall
     * desire, then a seeded random pick. Subsets with ratio 0 are never chosen.
     */
    private static int choose(double[][] desiredPerLabel, int label, double[] desired, double[] ratio, SplittableRandom random) {
        List<Integer> candidates = new ArrayList<>();
        for (int j = 0; j < desired.length; j++) {
            if (ratio[j] > 0) {
                candidates.add(j);
            }
        }
        if (label >= 0) {
            candidates = keepMax(candidates, j -> desiredPerLabel[j][label]);
        }
        candidates = keepMax(candidates, j -> desired[j]);
        return candidates.size() == 1 ? candidates.get(0) : candidates.get(random.nextInt(candidates.size()));
    }

    private static List<Integer> keepMax(List<Integer> candidates, java.util.function.IntToDoubleFunction score) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j : candidates) {
            best = Math.max(best, score.applyAsDouble(j));
        }
        List<Integer> kept = new ArrayList<>();
        for (int j : candidates) {
            if (Math.abs(score.applyAsDouble(j) - best) < 1e-9) {
                kept.add(j);
            }
        }
        return kept;
    }
}
