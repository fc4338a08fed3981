package io.img2rec.serve.predict;

import io.img2rec.core.image.InputEncoder;

import java.util.List;
import java.util.Map;

/**
 * What a served model is, as its checkpoint sidecar says.
 *
 * @param name         checkpoint name (sidecar file name without {@code .json})
 * @param architecture e.g. {@code vgg16}
 * @param labels       the labels of its outputs, in output order
 * @param thresholds   decision threshold per label (0.5 where the sidecar has none)
 * @param encoder      how crops become its input tensor
 * @param modelSha256  SHA-256 of the model zip (empty for models not loaded from a checkpoint)
 */
public record ModelCard(String name, String architecture, List<String> labels, Map<String, Double> thresholds,
                        InputEncoder encoder, String modelSha256) {
    public ModelCard {
        labels = List.copyOf(labels);
        thresholds = Map.copyOf(thresholds);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " has no labels");
        }
        for (String label : labels) {
            if (!thresholds.containsKey(label)) {
                throw new IllegalArgumentException("model " + name + " has no threshold for label " + label);
            }
        }
    }
}
