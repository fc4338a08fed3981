package io.img2rec.core.run;

import io.img2rec.core.manifest.Split;

import java.util.List;
import java.util.Objects;

/**
 * One row of {@code predictions.csv} ({@link PredictionsCsv}): a model's probability that one image has one label.
 *
 * @param path  the image path relative to the dataset root, the key that matches rows of different models
 * @param split the split the image belongs to, one of {@link #SPLITS}
 * @param model the architecture name, e.g. {@code vgg16}
 * @param label the label, e.g. {@code hat}
 * @param truth whether the image has the label
 * @param score the predicted probability; NaN when the image could not be scored
 */
public record Prediction(String path, Split split, String model, String label, boolean truth, double score) {

    /** The splits predictions are written for, in report order; an image without a split is never scored. */
    public static final List<Split> SPLITS = List.of(Split.TRAIN, Split.VALIDATION, Split.TEST);

    public Prediction {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(label, "label");
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("prediction for '" + path + "' has split " + split.code()
                    + "; predictions are written for train, validation or test");
        }
    }

    /** The same prediction under another model name (used when two runs train models of the same name). */
    public Prediction withModel(String newModel) {
        return new Prediction(path, split, newModel, label, truth, score);
    }
}
