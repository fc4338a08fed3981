package io.img2rec.serve.rules;

import io.img2rec.serve.face.CropBox;
import io.img2rec.serve.face.FaceBox;

import java.util.List;
import java.util.Map;

/**
 * One scored crop.
 *
 * @param detected   the detector's box (null when the whole image was classified)
 * @param calibrated the box after calibration, from which the crop was cut (null for the whole image)
 * @param crop       the rectangle that was scored
 * @param modelScores label → architecture → score
 * @param scores     label → averaged score
 * @param positives  labels whose averaged score reached their threshold, sorted
 */
public record FaceResult(FaceBox detected, FaceBox calibrated, CropBox crop,
                         Map<String, Map<String, Double>> modelScores, Map<String, Double> scores,
                         List<String> positives) {
    public FaceResult {
        modelScores = Map.copyOf(modelScores);
        scores = Map.copyOf(scores);
        positives = List.copyOf(positives);
    }
}
