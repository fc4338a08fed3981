package io.img2rec.serve.predict;

import io.img2rec.core.ensemble.EnsembleRule;
import io.img2rec.core.ensemble.EnsembleValidation;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.run.Prediction;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnsembleAveragerTest {
    private static final RgbImage CROP = new RgbImage(2, 2, new byte[12]);

    private static List<ScoringModel> models() {
        return List.of(
                ServeFixtures.fake("vgg16", "hat", 0.4, c -> 0.9, 0),
                ServeFixtures.fake("resnet50", "hat", 0.6, c -> 0.3, 0),
                ServeFixtures.fake("vgg16", "beard", 0.45, c -> 0.2, 0));
    }

    @Test
    void averagesEachLabelOverItsArchitecturesWithWeights() {
        var ensemble = new EnsembleAverager(models(), Map.of("vgg16", 3.0));
        CropScores scores = ensemble.score(List.of(CROP, CROP)).get(1);
        assertEquals((3 * 0.9 + 0.3) / 4, scores.averaged().get("hat"), 1e-12);
        assertEquals(0.2, scores.averaged().get("beard"), 1e-12);   // one architecture: its own score
        assertEquals(Map.of("vgg16", 0.9, "resnet50", 0.3), scores.perModel().get("hat"));
        assertEquals(List.of("beard", "hat"), ensemble.labels());
    }

    @Test
    void scoringSeveralImagesTogetherGivesEachImageItsOwnCropsScores() {
        java.util.concurrent.atomic.AtomicInteger scoredCrops = new java.util.concurrent.atomic.AtomicInteger();
        // the score is the crop's width, so a crop handed to the wrong image would show
        ScoringModel byWidth = ServeFixtures.fake("vgg16", "hat", 0.5, c -> {
            scoredCrops.incrementAndGet();
            return c.width() / 10.0;
        }, 0);
        var ensemble = new EnsembleAverager(List.of(byWidth), Map.of());
        RgbImage w1 = new RgbImage(1, 2, new byte[6]);
        RgbImage w2 = new RgbImage(2, 2, new byte[12]);
        RgbImage w3 = new RgbImage(3, 2, new byte[18]);
        List<List<CropScores>> together = ensemble.scoreTogether(List.of(List.of(w1, w2), List.of(), List.of(w3)));
        assertEquals(3, together.size());
        assertEquals(List.of(0.1, 0.2), together.get(0).stream().map(c -> c.averaged().get("hat")).toList());
        assertEquals(List.of(), together.get(1));
        assertEquals(ensemble.score(List.of(w3)), together.get(2));
        assertEquals(4, scoredCrops.get()); // each crop scored once, then w3 again alone
    }

    @Test
    void withoutValidationScoresOneModelKeepsItsThresholdAndSeveralFallBack() {
        var ensemble = new EnsembleAverager(models(), Map.of());
        assertEquals(0.45, ensemble.thresholds().get("beard"), 1e-12);
        assertEquals(EnsembleRule.ThresholdSource.MODEL_OWN, ensemble.thresholdSources().get("beard").source());
        assertEquals(0.5, ensemble.thresholds().get("hat"), 1e-12); // not the mean of 0.4 and 0.6
        assertEquals(EnsembleRule.ThresholdSource.FALLBACK, ensemble.thresholdSources().get("hat").source());
    }

    @Test
    void withValidationScoresTheThresholdIsTheRulesOnTheAveragedScores() {
        List<Prediction> rows = List.of(
                new Prediction("p1.png", Split.VALIDATION, "vgg16", "hat", true, 0.9),
                new Prediction("p2.png", Split.VALIDATION, "vgg16", "hat", true, 0.8),
                new Prediction("n1.png", Split.VALIDATION, "vgg16", "hat", false, 0.7),
                new Prediction("p1.png", Split.VALIDATION, "resnet50", "hat", true, 0.3),
                new Prediction("p2.png", Split.VALIDATION, "resnet50", "hat", true, 0.9),
                new Prediction("n1.png", Split.VALIDATION, "resnet50", "hat", false, 0.2),
                new Prediction("t1.png", Split.TEST, "resnet50", "hat", false, 0.99)); // test rows are not used
        EnsembleRule rule = EnsembleRule.weighted(Map.of("vgg16", 3.0));
        var ensemble = new EnsembleAverager(models(), rule, EnsembleValidation.of(rows));
        // averaged: p1 (2.7+0.3)/4 = 0.75, p2 (2.4+0.9)/4 = 0.825, n1 (2.1+0.2)/4 = 0.575 → max F1 at 0.75
        assertEquals(0.75, ensemble.thresholds().get("hat"), 1e-12);
        assertEquals(EnsembleRule.ThresholdSource.TUNED_ON_VALIDATION, ensemble.thresholdSources().get("hat").source());
        assertEquals(rule.threshold(EnsembleValidation.of(rows).forLabel("hat"), "hat").threshold(),
                ensemble.thresholds().get("hat"));
    }

    @Test
    void aFixedThresholdDecidesEveryLabelAsTheOriginalDid() {
        var ensemble = new EnsembleAverager(models(), EnsembleRule.equalWeights(), EnsembleValidation.none(),
                java.util.OptionalDouble.of(0.5));
        assertEquals(Map.of("beard", 0.5, "hat", 0.5), ensemble.thresholds());
        assertEquals(EnsembleRule.ThresholdSource.FIXED, ensemble.thresholdSources().get("beard").source());
    }
}
