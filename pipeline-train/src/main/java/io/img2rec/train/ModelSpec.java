package io.img2rec.train;

import java.util.List;

/**
 * One model to train on an architecture's shared cache: a binary model for one label (the original's
 * one-vs-rest), or one multilabel model with a sigmoid per label.
 *
 * @param name    used in checkpoint names and logs: the label, or {@code multilabel}
 * @param labels  the labels its outputs stand for, in output order
 * @param columns each output's column in the run's label list
 */
public record ModelSpec(String name, List<String> labels, int[] columns) {
    public ModelSpec {
        labels = List.copyOf(labels);
        columns = columns.clone();
        if (labels.size() != columns.length || labels.isEmpty()) {
            throw new IllegalArgumentException("one column per label, got " + labels + " and " + columns.length);
        }
    }

    public static ModelSpec perLabel(List<String> allLabels, String label) {
        return new ModelSpec(label, List.of(label), new int[] {allLabels.indexOf(label)});
    }

    public static ModelSpec multilabel(List<String> allLabels) {
        int[] columns = new int[allLabels.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = i;
        }
        return new ModelSpec("multilabel", allLabels, columns);
    }

    public int outputs() {
        return columns.length;
    }
}
