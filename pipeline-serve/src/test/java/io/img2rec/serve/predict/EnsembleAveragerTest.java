package io.img2rec.serve.predict;

import io.img2rec.core.image.RgbImage;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnsembleAveragerTest {
    private static final RgbImage CROP = new RgbImage(2, 2, new byte[12]);

    @Test
    void averagesEachLabelOverItsArchitecturesWithWeights() {
        var ensemble = new EnsembleAverager(List.of(
                ServeFixtures.fake("vgg16", "hat", 0.4, c -> 0.9, 0),
                ServeFixtures.fake("resnet50", "hat", 0.6, c -> 0.3, 0),
                ServeFixtures.fake("vgg16", "beard", 0.5, c -> 0.2, 0)), Map.of("vgg16", 3.0));
        CropScores scores = ensemble.score(List.of(CROP, CROP)).get(1);
        assertEquals((3 * 0.9 + 0.3) / 4, scores.averaged().get("hat"), 1e-12);
        assertEquals(0.2, scores.averaged().get("beard"), 1e-12);   // one architecture: its own score
        assertEquals(Map.of("vgg16", 0.9, "resnet50", 0.3), scores.perModel().get("hat"));
        assertEquals((3 * 0.4 + 0.6) / 4, ensemble.thresholds().get("hat"), 1e-12);
        assertEquals(0.5, ensemble.thresholds().get("beard"), 1e-12);
        assertEquals(List.of("beard", "hat"), ensemble.labels());
    }
}
