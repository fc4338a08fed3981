package io.img2rec.train;

import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The run's images as the trainer addresses them (by index in the manifest): the truth for every label, which
 * images train and validate, and how many augmented copies of each training image the cache holds.
 *
 * @param truth            truth[image][label] in {0, 1}, labels in the run's order
 * @param augmentedCopies  augmented copies per training image (0: none)
 */
record ImageSplits(float[][] truth, List<Integer> train, List<Integer> validation, int augmentedCopies) {
    static ImageSplits of(List<ManifestEntry> entries, List<String> labels, int augmentedCopies) {
        float[][] truth = new float[entries.size()][labels.size()];
        for (int i = 0; i < entries.size(); i++) {
            for (int l = 0; l < labels.size(); l++) {
                truth[i][l] = entries.get(i).hasLabel(labels.get(l)) ? 1f : 0f;
            }
        }
        return new ImageSplits(truth, indices(entries, Split.TRAIN), indices(entries, Split.VALIDATION),
                augmentedCopies);
    }

    private static List<Integer> indices(List<ManifestEntry> entries, Split split) {
        return IntStream.range(0, entries.size()).filter(i -> entries.get(i).split() == split).boxed().toList();
    }

    /** The truth of {@code spec}'s outputs: [image][output]. */
    float[][] truthOf(ModelSpec spec) {
        float[][] out = new float[truth.length][spec.outputs()];
        for (int i = 0; i < truth.length; i++) {
            for (int o = 0; o < spec.outputs(); o++) {
                out[i][o] = truth[i][spec.columns()[o]];
            }
        }
        return out;
    }
}
