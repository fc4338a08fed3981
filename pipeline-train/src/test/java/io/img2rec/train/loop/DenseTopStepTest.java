package io.img2rec.train.loop;

import io.img2rec.core.model.TopSpec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct dense-top step against {@code ComputationGraph.fit} on the same seed: the same parameters, updater
 * state, iteration count, epoch losses and validation metrics after several epochs (bit for bit where the host's
 * OpenBLAS sums the weight gradient as {@link HeapAdam} does, to 1e-6 elsewhere), and a checkpoint of the
 * directly trained top that loads and continues as the fitted one does.
 */
class DenseTopStepTest {
    @TempDir
    Path dir;

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amax().getDouble(0);
    }

    /**
     * Whether this host's OpenBLAS computes the dense weight gradient {@code xᵀ·δ} as HeapAdam does (the rows summed
     * in order, one fused multiply-add each: the SkylakeX kernel does, the Haswell kernel does not), for the
     * shapes the test trains: then the direct step equals {@code fit} bit for bit, otherwise to float rounding.
     */
    private static boolean gemmSumsRowsInOrder(int inputs, int units, int... batches) {
        for (int n : batches) {
            INDArray x = Nd4j.rand(DataType.FLOAT, n, inputs).subi(0.5);
            INDArray delta = Nd4j.randn(DataType.FLOAT, n, units).muli(0.01);
            INDArray product = Nd4j.create(DataType.FLOAT, new long[] {inputs, units}, 'f');
            Nd4j.gemm(x, delta, product, true, false, 1.0, 0.0);
            float[][] xs = x.toFloatMatrix();
            float[][] ds = delta.toFloatMatrix();
            for (int i = 0; i < inputs; i++) {
                for (int j = 0; j < units; j++) {
                    float sum = 0f;
                    for (int k = 0; k < n; k++) {
                        sum = Math.fma(xs[k][i], ds[k][j], sum);
                    }
                    if (sum != product.getFloat(i, j)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void heapAdamComputesTheWeightGradientRowByRowInOneFusedPass() {
        // 37 inputs × 5 units + a tail of 5 biases, 1 output weight... : any batch size, including one under 4
        for (int n : new int[] {16, 13, 3, 1}) {
            int inputs = 37;
            int units = 5;
            int tail = 11;
            INDArray params = Nd4j.rand(DataType.FLOAT, 1, inputs * units + tail).subi(0.5);
            INDArray gradient = Nd4j.rand(DataType.FLOAT, 1, inputs * units + tail).subi(0.5);
            INDArray m = Nd4j.zeros(DataType.FLOAT, 1, inputs * units + tail);
            INDArray v = Nd4j.zeros(DataType.FLOAT, 1, inputs * units + tail);
            INDArray w = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, inputs * units))
                    .reshape('f', inputs, units);
            INDArray gw = gradient.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, inputs * units))
                    .reshape('f', inputs, units);
            assertTrue(HeapAdam.fits(params, gradient, m, v, w, gw), "an 'f'-order weight view at the start fits");
            assertTrue(!HeapAdam.fits(params, gradient, m, v, w.dup('c'), gw), "a copy elsewhere does not");
            float[] before = params.toFloatVector();
            float[] tailGradient = gradient.toFloatVector();
            INDArray x = Nd4j.rand(DataType.FLOAT, n, inputs).subi(0.5);
            INDArray delta = Nd4j.randn(DataType.FLOAT, n, units);
            HeapAdam heap = HeapAdam.load(params, gradient, m, v, inputs, units);
            HeapAdam.Coefficients c = HeapAdam.Coefficients.of(1e-3f, 0.9f, 0.999f, 1e-7f, 0);
            heap.step(c, 16, x, delta);
            heap.flush();
            // expected: the gradient summed over rows in order with fused multiply-adds, then the reference Adam
            float[][] xs = x.toFloatMatrix();
            float[][] ds = delta.toFloatMatrix();
            float[] g = new float[inputs * units + tail];
            for (int j = 0; j < units; j++) {
                for (int i = 0; i < inputs; i++) {
                    float sum = 0f;
                    for (int k = 0; k < n; k++) {
                        sum = Math.fma(xs[k][i], ds[k][j], sum);
                    }
                    g[i + j * inputs] = sum;
                }
            }
            System.arraycopy(tailGradient, inputs * units, g, inputs * units, tail);
            float[] p = before.clone();
            float[] expectedM = new float[g.length];
            float[] expectedV = new float[g.length];
            HeapAdam.adam(c, 16, g, p, expectedM, expectedV);
            assertArrayEquals(p, params.toFloatVector(), 0f, "parameters, batch of " + n);
            assertArrayEquals(expectedM, m.toFloatVector(), 0f, "first moments, batch of " + n);
            assertArrayEquals(expectedV, v.toFloatVector(), 0f, "second moments, batch of " + n);
        }
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
            HeapAdam.adam(HeapAdam.Coefficients.of((float) config.getLearningRate(iteration, 0),
                    (float) config.getBeta1(), (float) config.getBeta2(), (float) config.getEpsilon(), iteration),
                    batch, g, p, m, v);
            assertArrayEquals(params.toFloatVector(), p, 0f, "parameters after iteration " + iteration);
        }
        assertArrayEquals(state.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)).toFloatVector(), m, 0f);
        assertArrayEquals(state.get(NDArrayIndex.point(0), NDArrayIndex.interval(length, 2L * length)).toFloatVector(), v,
                0f);
    }

    @Test
    void directStepTrainsExactlyWhatFitTrainsOnTheSameSeed() throws Exception {
        // 32 channels × 4 × 4 = 512 features → 16 → dropout 0.5 → 1; 45 training images = 2 full batches + 13
        trainsExactlyWhatFitTrains(TopSpec.Pooling.FLATTEN, 512);
    }

    /** ResNet50's top: global average pooling before the dense layer (its forward pass only: no parameters). */
    @Test
    void directStepWithGlobalPoolingTrainsExactlyWhatFitTrains() throws Exception {
        trainsExactlyWhatFitTrains(TopSpec.Pooling.GLOBAL_AVERAGE, 32);
    }

    private void trainsExactlyWhatFitTrains(TopSpec.Pooling pooling, int denseInputs) throws Exception {
        try (PhaseOneProbe.Setup setup = PhaseOneProbe.Setup.of(32, 4, 16, 45, 12, 7, dir.resolve(pooling.name()),
                pooling)) {
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
                assertEquals(2, step.heapUpdates(), "Adam ran in place, from the first iteration");
            }
            // bit for bit where OpenBLAS sums the weight gradient's rows as HeapAdam does; else to float rounding
            boolean exact = gemmSumsRowsInOrder(denseInputs, 16, 16, 13);
            double tolerance = exact ? 0.0 : 1e-6;
            HeadTrainer viaFit = new HeadTrainer(16, false);
            HeadTrainer viaStep = new HeadTrainer(16, true);
            for (int epoch = 1; epoch <= 4; epoch++) {
                long seed = Seeds.derive(3, "test", "top", epoch);
                double fitLoss = viaFit.trainEpoch(fitted, data, weights, seed, k -> { });
                double stepLoss = viaStep.trainEpoch(direct, data, weights, seed, k -> { });
                assertEquals(fitLoss, stepLoss, tolerance, "epoch " + epoch + " training loss");
                HeadTrainer.ValidationMetrics a = viaFit.validate(fitted, data);
                HeadTrainer.ValidationMetrics b = viaStep.validate(direct, data);
                assertEquals(a.loss(), b.loss(), tolerance, "epoch " + epoch + " validation loss");
                assertEquals(a.auc(), b.auc(), tolerance, "epoch " + epoch + " validation AUC");
                assertEquals(a.accuracy(), b.accuracy(), 0.0, "epoch " + epoch + " validation accuracy");
                assertEquals(0.0, maxDifference(fitted.params(), direct.params()), tolerance,
                        "epoch " + epoch + " parameters");
            }
            assertTrue(maxDifference(setup.freshTop().params(), direct.params()) > 1e-4, "training moved the parameters");
            assertEquals(0.0, maxDifference(fitted.getUpdater().getStateViewArray(),
                    direct.getUpdater().getStateViewArray()), tolerance, "Adam's moments");
            assertEquals(fitted.getConfiguration().getIterationCount(), direct.getConfiguration().getIterationCount());

            // a checkpoint of the directly trained top loads and trains on exactly like the fitted one's
            File fittedZip = dir.resolve(pooling + "-fitted.zip").toFile();
            File directZip = dir.resolve(pooling + "-direct.zip").toFile();
            ModelSerializer.writeModel(fitted, fittedZip, true);
            ModelSerializer.writeModel(direct, directZip, true);
            ComputationGraph fittedAgain = ModelSerializer.restoreComputationGraph(fittedZip, true);
            ComputationGraph directAgain = ModelSerializer.restoreComputationGraph(directZip, true);
            long seed = Seeds.derive(3, "test", "top", 5);
            assertEquals(viaFit.trainEpoch(fittedAgain, data, weights, seed, k -> { }),
                    viaStep.trainEpoch(directAgain, data, weights, seed, k -> { }), tolerance);
            assertEquals(0.0, maxDifference(fittedAgain.params(), directAgain.params()), tolerance, "after a reload");
            // every image, in batches of 16 on both paths
            List<Integer> all = new ArrayList<>(data.trainImages());
            all.addAll(data.validationImages());
            double[][] a = viaFit.predict(fittedAgain, data.cache(), all);
            double[][] b = viaStep.predict(directAgain, data.cache(), all);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], tolerance, "score of image " + i);
            }
        }
    }
}
