package io.img2rec.serve.predict;

import java.util.Map;

/**
 * The scores of one crop.
 *
 * @param perModel label → architecture → that model's score
 * @param averaged label → weighted average over the architectures covering it
 */
public record CropScores(Map<String, Map<String, Double>> perModel, Map<String, Double> averaged) {
    public CropScores {
        perModel = Map.copyOf(perModel);
        averaged = Map.copyOf(averaged);
    }
}
