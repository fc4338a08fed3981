package io.img2rec.train;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdTuningTest {
    @Test
    void eachOutputGetsTheMaxF1ThresholdOfTheValidationImagesThatWereScored() {
        float[][] truth = {{1, 0}, {0, 1}, {1, 1}, {0, 0}, {1, 0}};
        double[][] scores = {{0.9, 0.1}, {0.2, 0.8}, {0.7, 0.6}, null, {0.05, 0.95}};
        // image 4 is a training image with misleading scores; image 3 could not be loaded
        Map<String, Double> thresholds = ThresholdTuning.maxF1(List.of("hat", "beard"), truth, scores,
                List.of(0, 1, 2, 3));
        assertEquals(List.of("hat", "beard"), List.copyOf(thresholds.keySet()));
        double hat = thresholds.get("hat");
        assertTrue(hat > 0.2 && hat <= 0.7, "separates 0.2 from 0.7 and 0.9: " + hat);
        double beard = thresholds.get("beard");
        assertTrue(beard > 0.1 && beard <= 0.6, "separates 0.1 from 0.6 and 0.8: " + beard);
    }
}
