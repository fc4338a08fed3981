package io.img2rec.train.loop;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.img2rec.core.config.OptimizerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
    void adamInJavaEqualsLibnd4jsAdamBitForBitOverAPhasesIterations() {
        int length = 4099;
        int batch = 16;
        SplittableRandom random = new SplittableRandom(5);
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, length).subi(0.5);
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * length);
        Adam config = (Adam) Optimizers.of(new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0));
        var native_ = config.instantiate(state, true);
        float[] p = params.toFloatVector();
        float[] m = new float[length];
        float[] v = new float[length];
        FloatBuffer pb = FloatBuffer.wrap(p);
        FloatBuffer mb = FloatBuffer.wrap(m);
        FloatBuffer vb = FloatBuffer.wrap(v);
        // 50 epochs × 16 batches is phase 1's 800 iterations; gradients of all magnitudes, zeros included
        for (int iteration = 0; iteration < 2000; iteration++) {
            float[] g = new float[length];
            for (int i = 0; i < length; i++) {
                g[i] = i % 97 == 0 ? 0f : (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-6, 3)));
            }
            INDArray gradient = Nd4j.createFromArray(g).reshape(1, length);
            gradient.divi(batch); // BaseMultiLayerUpdater: minibatch division
            native_.applyUpdater(gradient, iteration, 0);
            params.subi(gradient); // StochasticGradientDescent's step
            DenseTopStep.adam((float) config.getLearningRate(iteration, 0), (float) config.getBeta1(),
                    (float) config.getBeta2(), (float) config.getEpsilon(), iteration, batch, length, pb, 0,
                    FloatBuffer.wrap(g), 0, mb, 0, vb, 0);
            assertArrayEquals(params.toFloatVector(), p, 0f, "parameters after iteration " + iteration);
        }
        assertArrayEquals(state.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)).toFloatVector(), m, 0f);
        assertArrayEquals(state.get(NDArrayIndex.point(0), NDArrayIndex.interval(length, 2L * length)).toFloatVector(), v,
                0f);
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
            {
                ComputationGraph probe = setup.freshTop();
                DenseTopStep step = DenseTopStep.of(probe).orElseThrow();
                INDArray[] batch = data.cache().batch(data.epochItems(new SplittableRandom(1)).subList(0, 16));
                INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 1);
                step.fit(batch[0], labels);
                step.fit(batch[0], labels);
                assertEquals(2, step.inPlaceUpdates(), "Adam ran in place, from the first iteration");
            }
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
            // every image, in batches of 16 on both paths
            List<Integer> all = new ArrayList<>(data.trainImages());
            all.addAll(data.validationImages());
            double[][] a = viaFit.predict(fittedAgain, data.cache(), all);
            double[][] b = viaStep.predict(directAgain, data.cache(), all);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0.0, "score of image " + i);
            }
        }
    }
}
