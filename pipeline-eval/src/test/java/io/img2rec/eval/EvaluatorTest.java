package io.img2rec.eval;

import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.eval.api.ClassBalance;
import io.img2rec.eval.api.HardExample;
import io.img2rec.eval.api.EvaluationOptions;

import io.img2rec.core.manifest.Split;
import io.img2rec.core.run.Prediction;
import io.img2rec.eval.run.RunReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {

    private static final Evaluator EVALUATOR = new Evaluator(EvaluationOptions.seeded(1));

    private static Prediction p(String path, Split split, String model, int truth, double score) {
        return new Prediction(path, split, model, "hat", truth == 1, score);
    }

    /**
     * Validation (both models equal): positives 0.8, 0.7; negatives 0.6, 0.2. F1 by hand: t=0.8 → 2/3, t=0.7 → 1,
     * t=0.6 → 0.8, t=0.2 → 2/3; so the tuned threshold is 0.7.
     * Test ensemble scores (by hand, mean of the two models): a+ 0.75, b+ 0.65, c- 0.72, d- 0.10.
     */
    private static List<Prediction> handFixture() {
        List<Prediction> rows = new ArrayList<>();
        for (String model : List.of("vgg16", "resnet50")) {
            rows.add(p("v1", Split.VALIDATION, model, 1, 0.8));
            rows.add(p("v2", Split.VALIDATION, model, 1, 0.7));
            rows.add(p("v3", Split.VALIDATION, model, 0, 0.6));
            rows.add(p("v4", Split.VALIDATION, model, 0, 0.2));
        }
        // vgg16 rows in one order, resnet50 in another: matched by path, not by position
        rows.add(p("a", Split.TEST, "vgg16", 1, 0.70));
        rows.add(p("b", Split.TEST, "vgg16", 1, 0.60));
        rows.add(p("c", Split.TEST, "vgg16", 0, 0.64));
        rows.add(p("d", Split.TEST, "vgg16", 0, 0.00));
        rows.add(p("d", Split.TEST, "resnet50", 0, 0.20));
        rows.add(p("c", Split.TEST, "resnet50", 0, 0.80));
        rows.add(p("b", Split.TEST, "resnet50", 1, 0.70));
        rows.add(p("a", Split.TEST, "resnet50", 1, 0.80));
        rows.add(p("t1", Split.TRAIN, "vgg16", 1, 0.9));
        return rows;
    }

    @Test
    void ensembleAveragesTheModelsScoresPerImagePath() {
        EvaluationResult result = EVALUATOR.evaluate(handFixture(), List.of("hat"));
        ModelEvaluation ensemble = result.label("hat").orElseThrow().ensemble().orElseThrow();
        assertEquals(List.of("a", "b", "c", "d"), ensemble.test().paths());
        assertArrayEquals(new double[]{0.75, 0.65, 0.72, 0.10}, ensemble.test().scores(), 1e-12);
        assertEquals(List.of("vgg16", "resnet50"), result.models());
        assertEquals(List.of("vgg16", "resnet50", "ensemble"),
                result.label("hat").orElseThrow().models().stream().map(ModelEvaluation::model).toList());
    }

    @Test
    void thresholdChosenOnValidationIsAppliedToTest() {
        ModelEvaluation e = EVALUATOR.evaluate(handFixture(), List.of("hat")).label("hat").orElseThrow()
                .ensemble().orElseThrow();
        assertEquals(0.7, e.threshold().threshold(), 0);
        assertEquals(1.0, e.threshold().validationF1().orElseThrow(), 1e-12);
        // at 0.7 on test: a (0.75) TP, c (0.72) FP, b (0.65) FN, d TN
        var tuned = e.atTuned().atThreshold().confusion();
        assertEquals(List.of(1L, 1L, 1L, 1L), List.of(tuned.tp(), tuned.fp(), tuned.tn(), tuned.fn()));
        assertEquals(0.5, e.atTuned().atThreshold().f1().orElseThrow(), 1e-12);
        // at 0.5: a, b TP; c FP; d TN → precision 2/3, recall 1, F1 0.8
        var fixed = e.atDefault().atThreshold();
        assertEquals(2.0 / 3, fixed.precision().orElseThrow(), 1e-12);
        assertEquals(0.8, fixed.f1().orElseThrow(), 1e-12);
        // Mann-Whitney by hand: pairs (a,c) (a,d) (b,d) correct, (b,c) wrong → 3/4
        assertEquals(0.75, e.atTuned().auc().orElseThrow(), 1e-12);
        // hard examples at 0.7: c is the only false positive, b the only false negative
        var label = EVALUATOR.evaluate(handFixture(), List.of("hat")).label("hat").orElseThrow();
        assertEquals(List.of("c"), label.falsePositives().stream().map(HardExample::path).toList());
        assertEquals(List.of("b"), label.falseNegatives().stream().map(HardExample::path).toList());
    }

    @Test
    void countsDistinctImagesPerSplitAndClass() {
        EvaluationResult result = EVALUATOR.evaluate(handFixture(), List.of("hat"));
        assertEquals(1, result.counts().images(Split.TRAIN));
        assertEquals(4, result.counts().images(Split.VALIDATION));
        assertEquals(4, result.counts().images(Split.TEST));
        assertEquals(new ClassBalance(2, 2), result.counts().balance("hat", Split.TEST));
        assertEquals(2, result.averages().get(0).atTuned().microConfusion().support());
    }

    @Test
    void singleClassEmptySplitAndNotANumberScoresGiveReasonsNotCrashes() {
        List<Prediction> rows = List.of(
                p("a", Split.TEST, "vgg16", 0, 0.3),
                p("b", Split.TEST, "vgg16", 0, Double.NaN),
                p("c", Split.TEST, "vgg16", 0, 0.1));
        ModelEvaluation e = EVALUATOR.evaluate(rows, List.of("hat", "beard")).label("hat").orElseThrow()
                .models().get(0);
        assertFalse(e.atTuned().auc().isDefined());
        assertTrue(e.atTuned().auc().undefinedReason().orElseThrow().contains("no positive examples"));
        assertFalse(e.aucInterval().isDefined());
        assertEquals(1, e.atTuned().excludedNaN());
        assertTrue(e.threshold().usedFallback(), "empty validation split falls back to 0.5");
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("not numbers")), e.notes().toString());
        EvaluationResult result = EVALUATOR.evaluate(rows, List.of("hat", "beard"));
        assertTrue(result.label("beard").orElseThrow().models().isEmpty());
        assertTrue(result.notes().stream().anyMatch(n -> n.contains("'beard'")));
    }

    @Test
    void imageMissingFromOneModelIsExcludedFromTheEnsembleWithANote() {
        List<Prediction> rows = new ArrayList<>(handFixture());
        rows.add(p("e", Split.TEST, "vgg16", 1, 0.9));
        ModelEvaluation e = EVALUATOR.evaluate(rows, List.of("hat")).label("hat").orElseThrow().ensemble()
                .orElseThrow();
        assertEquals(5, e.test().size());
        assertEquals(1, e.atTuned().excludedNaN());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("lack a score from some model")), e.notes().toString());
    }

    @Test
    void conflictingTruthForOneImageIsRejectedWithThePath() {
        List<Prediction> rows = List.of(p("x", Split.TEST, "vgg16", 1, 0.3), p("x", Split.TEST, "resnet50", 0, 0.3));
        var e = assertThrows(IllegalArgumentException.class, () -> EVALUATOR.evaluate(rows, List.of("hat")));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void runsEvaluatedTogetherFormOneEnsembleAndRepeatedModelNamesAreRenamed(@TempDir Path tmp) throws Exception {
        var a = RunFolderFixture.in(tmp, "vgg").generated(List.of("vgg16"), 6, 1).withoutImages().write();
        var b = RunFolderFixture.in(tmp, "res").generated(List.of("resnet50"), 6, 2).withoutImages().write();
        var c = RunFolderFixture.in(tmp, "res2").generated(List.of("resnet50"), 6, 3).withoutImages().write();
        EvaluationResult result = EVALUATOR.evaluate(List.of(RunReader.read(a), RunReader.read(b),
                RunReader.read(c)));
        assertEquals(List.of("vgg16", "resnet50@20240101-120000-res", "resnet50@20240101-120000-res2"),
                result.models());
        ModelEvaluation ensemble = result.label("hat").orElseThrow().ensemble().orElseThrow();
        assertEquals(6, ensemble.test().size());
        assertEquals(0, ensemble.atTuned().excludedNaN());
    }
}
