package io.img2rec.serve.rules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecommendationRulesTest {
    private static final Map<String, Double> HALF = Map.of("beard", 0.5, "eyewear", 0.5, "hat", 0.5);
    private static final List<String> LABELS = List.of("beard", "eyewear", "hat");

    private static ImageResult analysed(String name, Map<String, Double>... faces) {
        var verdict = RecommendationRules.forImage(name, List.of(faces), HALF);
        return new ImageResult(name, "sha-" + name, ImageStatus.ANALYSED, null, 10, 10, false, List.of(), List.of(),
                verdict.labelScores(), verdict.positives(), verdict.bestFace(), verdict.recommendation());
    }

    @Test
    void singleImageUsesTheBestFaceNotTheLast() {
        var verdict = RecommendationRules.forImage("a.jpg", List.of(
                Map.of("beard", 0.2, "eyewear", 0.1, "hat", 0.9),
                Map.of("beard", 0.7, "eyewear", 0.1, "hat", 0.1)), HALF);
        assertEquals("hat", verdict.recommendation().product());
        assertEquals(0, verdict.bestFace());
        assertEquals(0.9, verdict.labelScores().get("hat"));
        assertEquals(List.of("beard", "hat"), verdict.positives());
    }

    @Test
    void singleImageTieGoesToTheFirstLabelOfTheOriginalsOrderHatBeardEyewear() {
        var all = RecommendationRules.forImage("a.jpg",
                List.of(Map.of("beard", 0.8, "eyewear", 0.8, "hat", 0.8)), HALF);
        assertEquals("hat", all.recommendation().product());
        var beardEyewear = RecommendationRules.forImage("a.jpg",
                List.of(Map.of("beard", 0.8, "eyewear", 0.8, "hat", 0.1)), HALF);
        assertEquals("beard", beardEyewear.recommendation().product());
        var eyewearHat = RecommendationRules.forImage("a.jpg",
                List.of(Map.of("beard", 0.1, "eyewear", 0.8, "hat", 0.8)), HALF);
        assertEquals("hat", eyewearHat.recommendation().product());
    }

    @Test
    void labelsOutsideTheOriginalsOrderBreakTiesByNameAfterIt() {
        Map<String, Double> t = Map.of("scarf", 0.5, "earring", 0.5, "eyewear", 0.5);
        var verdict = RecommendationRules.forImage("a.jpg",
                List.of(Map.of("scarf", 0.8, "earring", 0.8, "eyewear", 0.8)), t);
        assertEquals("eyewear", verdict.recommendation().product());
        var others = RecommendationRules.forImage("a.jpg", List.of(Map.of("scarf", 0.8, "earring", 0.8)), t);
        assertEquals("earring", others.recommendation().product());
    }

    @Test
    void nothingAboveThresholdOrNoFaceMeansNoItemsDetected() {
        var low = RecommendationRules.forImage("a.jpg", List.of(Map.of("beard", 0.4, "eyewear", 0.3, "hat", 0.1)), HALF);
        assertFalse(low.recommendation().found());
        assertEquals(Recommendation.NOTHING, low.recommendation().message());
        assertEquals(0, low.bestFace());
        var none = RecommendationRules.forImage("b.jpg", List.of(), HALF);
        assertEquals(Recommendation.NOTHING, none.recommendation().message());
        assertNull(none.bestFace());
    }

    @Test
    void profileCountsImagesNotFacesSoSharesNeverExceedOne() {
        // two faces both wearing hats in one image: the original counted 2 positives over 1 image (share 2.0)
        ImageResult group = analysed("group.jpg", Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.9),
                Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.8));
        ProfileResult profile = RecommendationRules.forProfile("p", List.of(group), LABELS);
        LabelTally hat = profile.tallies().get(2);
        assertEquals("hat", hat.label());
        assertEquals(1, hat.positiveImages());
        assertEquals(1.0, hat.share());
        assertEquals("We recommend hat products", profile.recommendation().message());
        assertEquals("group.jpg", profile.recommendation().image());
    }

    @Test
    void profilePicksTheHighestShareWithTheImageThatScoredHighest() {
        ImageResult a = analysed("a.jpg", Map.of("beard", 0.6, "eyewear", 0.9, "hat", 0.1));
        ImageResult b = analysed("b.jpg", Map.of("beard", 0.7, "eyewear", 0.1, "hat", 0.1));
        ImageResult c = analysed("c.jpg", Map.of("beard", 0.55, "eyewear", 0.2, "hat", 0.1));
        ImageResult failed = ImageResult.error("bad.jpg", null, ImageErrorCode.NOT_AN_IMAGE,
                "bad.jpg: not-an-image");
        ProfileResult profile = RecommendationRules.forProfile("p", List.of(a, b, c, failed), LABELS);
        assertEquals("beard", profile.recommendation().product());
        assertEquals("b.jpg", profile.recommendation().image());
        assertEquals(1.0, profile.recommendation().share());
        assertEquals(3, profile.imagesAnalysed());
        assertEquals(1, profile.imagesFailed());
    }

    @Test
    void profileTiesGoToTheHigherBestScoreThenTheOriginalsLabelOrder() {
        ImageResult a = analysed("a.jpg", Map.of("beard", 0.6, "eyewear", 0.1, "hat", 0.9));
        ImageResult b = analysed("b.jpg", Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.1));
        ImageResult c = analysed("c.jpg", Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.1));
        ImageResult d = analysed("d.jpg", Map.of("beard", 0.7, "eyewear", 0.1, "hat", 0.1));
        // beard: 2 of 4 (best 0.7); hat: 1 of 4 -> beard
        assertEquals("beard", RecommendationRules.forProfile("p", List.of(a, b, c, d), LABELS)
                .recommendation().product());
        // equal shares: hat best 0.9 beats beard best 0.6
        assertEquals("hat", RecommendationRules.forProfile("p", List.of(a, b), LABELS).recommendation().product());
        // equal shares and equal best scores: the original's order (hat, beard, eyewear), not name order
        ImageResult e = analysed("e.jpg", Map.of("beard", 0.8, "eyewear", 0.1, "hat", 0.8));
        assertEquals("hat", RecommendationRules.forProfile("p", List.of(e), LABELS).recommendation().product());
        ImageResult f = analysed("f.jpg", Map.of("beard", 0.8, "eyewear", 0.8, "hat", 0.1));
        assertEquals("beard", RecommendationRules.forProfile("p", List.of(f), LABELS).recommendation().product());
    }

    @Test
    void bestImageTieGoesToTheFirstName() {
        ImageResult z = analysed("z.jpg", Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.8));
        ImageResult a = analysed("a.jpg", Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.8));
        assertEquals("a.jpg", RecommendationRules.forProfile("p", List.of(z, a), LABELS).recommendation().image());
    }

    @Test
    void aProfileWithoutPositivesOrImagesRecommendsNothing() {
        ImageResult low = analysed("a.jpg", Map.of("beard", 0.1, "eyewear", 0.1, "hat", 0.1));
        assertFalse(RecommendationRules.forProfile("p", List.of(low), LABELS).recommendation().found());
        ProfileResult empty = RecommendationRules.forProfile("p", List.of(), LABELS);
        assertEquals(Recommendation.NOTHING, empty.recommendation().message());
        assertTrue(empty.tallies().stream().allMatch(t -> t.share() == 0.0));
    }
}
