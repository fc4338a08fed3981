package io.img2rec.eval.run;

import java.util.Objects;

/**
 * One row of {@code predictions.csv}: a model's probability that one image has one label.
 *
 * @param path  the image path relative to the dataset root, the key that matches rows of different models
 * @param split the split the image belongs to
 * @param model the architecture name, e.g. {@code vgg16}
 * @param label the label, e.g. {@code hat}
 * @param truth whether the image has the label
 * @param score the predicted probability; NaN when the image could not be scored
 */
public record Prediction(String path, Split split, String model, String label, boolean truth, double score) {

    public Prediction {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(label, "label");
    }

    /** The same prediction under another model name (used when two runs train models of the same name). */
    public Prediction withModel(String newModel) {
        return new Prediction(path, split, newModel, label, truth, score);
    }
}
