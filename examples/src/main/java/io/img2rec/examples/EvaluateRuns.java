package io.img2rec.examples;

import io.img2rec.eval.api.Evaluation;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.api.ModelEvaluation;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Evaluates one or more run folders together (a VGG16 run and a ResNet50 run form one ensemble) on their held-out
 * test split and writes the report into the first: {@code EvaluateRuns <run folder> [<run folder> ...]}.
 */
public final class EvaluateRuns {
    private EvaluateRuns() {
    }

    public static void main(String[] args) throws Exception {
        Path[] runFolders = Arrays.stream(args).map(Path::of).toArray(Path[]::new);
        // README: evaluate
        Evaluation evaluation = Evaluation.builder().addRuns(Arrays.asList(runFolders)).build();
        EvaluationResult result = evaluation.evaluate();
        for (LabelEvaluation label : result.perLabel()) {
            for (ModelEvaluation model : label.models()) {
                System.out.println(label.label() + " " + model.model() + ": test AUC " + model.atDefault().auc()
                        + ", F1 " + model.atTuned().atThreshold().f1() + " at threshold "
                        + model.threshold().threshold());
            }
        }
        System.out.println("report: " + evaluation.writeReport(result, runFolders[0]).html());
        // README: end
    }
}
