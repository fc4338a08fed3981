package io.img2rec.train.loop;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct dense-top step against {@code ComputationGraph.fit} on the same seed: the same parameters, updater
 * state, iteration count, epoch losses and validation metrics after several epochs, and a checkpoint of the
 * directly trained top that loads and continues as the fitted one does.
 */
class DenseTopStepTest {
    @TempDir
    Path dir;

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amax().getDouble(0);
    }

    @Test
    void directStepTrainsExactlyWhatFitTrainsOnTheSameSeed() throws Exception {
        // 32 channels × 4 × 4 = 512 features → 16 → dropout 0.5 → 1; 45 training images = 2 full batches + 13
        try (PhaseOneProbe.Setup setup = PhaseOneProbe.Setup.of(32, 4, 16, 45, 12, 7, dir)) {
            TrainingData data = setup.data();
            ClassWeighting weights = setup.weights();
            ComputationGraph fitted = setup.freshTop();
            ComputationGraph direct = setup.freshTop();
            assertTrue(DenseTopStep.of(direct).isPresent(), "the phase-1 top qualifies for the direct step");
            HeadTrainer viaFit = new HeadTrainer(16, false);
            HeadTrainer viaStep = new HeadTrainer(16, true);
            for (int epoch = 1; epoch <= 4; epoch++) {
                long seed = Seeds.derive(3, "test", "top", epoch);
                double fitLoss = viaFit.trainEpoch(fitted, data, weights, seed, k -> { });
                double stepLoss = viaStep.trainEpoch(direct, data, weights, seed, k -> { });
                assertEquals(fitLoss, stepLoss, 0.0, "epoch " + epoch + " training loss");
                assertEquals(viaFit.validate(fitted, data), viaStep.validate(direct, data), "epoch " + epoch + " validation");
                assertEquals(0.0, maxDifference(fitted.params(), direct.params()), "epoch " + epoch + " parameters");
            }
            assertTrue(maxDifference(setup.freshTop().params(), direct.params()) > 1e-4, "training moved the parameters");
            assertEquals(0.0, maxDifference(fitted.getUpdater().getStateViewArray(),
                    direct.getUpdater().getStateViewArray()), "Adam's moments");
            assertEquals(fitted.getConfiguration().getIterationCount(), direct.getConfiguration().getIterationCount());

            // a checkpoint of the directly trained top loads and trains on exactly like the fitted one's
            File fittedZip = dir.resolve("fitted.zip").toFile();
            File directZip = dir.resolve("direct.zip").toFile();
            ModelSerializer.writeModel(fitted, fittedZip, true);
            ModelSerializer.writeModel(direct, directZip, true);
            ComputationGraph fittedAgain = ModelSerializer.restoreComputationGraph(fittedZip, true);
            ComputationGraph directAgain = ModelSerializer.restoreComputationGraph(directZip, true);
            long seed = Seeds.derive(3, "test", "top", 5);
            assertEquals(viaFit.trainEpoch(fittedAgain, data, weights, seed, k -> { }),
                    viaStep.trainEpoch(directAgain, data, weights, seed, k -> { }), 0.0);
            assertEquals(0.0, maxDifference(fittedAgain.params(), directAgain.params()), "after a reload");
            double[][] a = viaFit.predict(fittedAgain, data.cache(), data.validationImages());
            double[][] b = viaStep.predict(directAgain, data.cache(), data.validationImages());
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0.0, "score of validation image " + i);
            }
        }
    }
}
