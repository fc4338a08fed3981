package io.img2rec.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KerasWeightsImportTest {

    @TempDir
    Path dir;

    static ComputationGraph tinyCnn(CNN2DFormat format, long seed) {
        return Backbone.TINY_CNN.architecture().create(new ArchitectureOptions(16, format, seed), 1);
    }

    /** Keras-layout weights for TinyCnn's base: kernels [kh, kw, in, out], biases [out]. */
    static KerasWeightsH5Writer tinyCnnKerasWeights(long seed) {
        Nd4j.getRandom().setSeed(seed);
        KerasWeightsH5Writer writer = new KerasWeightsH5Writer();
        int[][] inOut = {{3, 8}, {8, 16}, {16, 16}};
        for (int i = 0; i < 3; i++) {
            writer.layer("tiny" + (i + 1) + "_conv", Map.of(
                    "kernel:0", Nd4j.rand(DataType.FLOAT, 3, 3, inOut[i][0], inOut[i][1]).subi(0.5),
                    "bias:0", Nd4j.rand(DataType.FLOAT, inOut[i][1]).subi(0.5)));
        }
        return writer;
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void convKernelLandsAsOutInKhKwAndForwardMatchesHandComputedConvolution(CNN2DFormat format) throws Exception {
        Path h5 = dir.resolve("tiny.h5");
        tinyCnnKerasWeights(7).write(h5);
        ComputationGraph graph = tinyCnn(format, 1);
        INDArray topBefore = graph.getLayer("top_dense").getParam("W").dup();
        // the forward check runs on the base alone (no dense GEMM: see the OpenBLAS core-type note in docs/WEIGHTS.md)
        ComputationGraph base = new ComputationGraph(Backbone.TINY_CNN.architecture()
                .baseConfiguration(new ArchitectureOptions(16, format, 2)));
        base.init();
        WeightsImport.kerasFile(base, h5, Set.of("tiny1_conv", "tiny2_conv", "tiny3_conv"), false);

        WeightsImport.Result result = WeightsImport.kerasFile(graph, h5,
                Set.of("tiny1_conv", "tiny2_conv", "tiny3_conv"), true);

        assertEquals(java.util.List.of("tiny1_conv", "tiny2_conv", "tiny3_conv"), result.loaded());
        KerasWeightsFile.Contents file = KerasWeightsFile.read(h5, Set.of("tiny2_conv"));
        INDArray kernel = file.layers().get("tiny2_conv").arrays().get(KerasWeightRole.KERNEL);
        INDArray w = graph.getLayer("tiny2_conv").getParam("W");
        assertEquals(java.util.List.of(16L, 8L, 3L, 3L), java.util.Arrays.stream(w.shape()).boxed().toList());
        // W[o, i, y, x] = kernel[y, x, i, o], checked at an index with all four coordinates distinct
        assertEquals(kernel.getFloat(2, 1, 5, 11), w.getFloat(11, 5, 2, 1), 0f);
        assertEquals(kernel.getFloat(0, 2, 7, 3), w.getFloat(3, 7, 0, 2), 0f);
        assertEquals(topBefore, graph.getLayer("top_dense").getParam("W"), "the top is not in the file");

        // one output pixel of tiny1_conv (3x3 'same', ReLU) by hand
        Nd4j.getRandom().setSeed(3);
        INDArray nhwc = Nd4j.rand(DataType.FLOAT, 1, 16, 16, 3);
        INDArray input = format == CNN2DFormat.NHWC ? nhwc : nhwc.permute(0, 3, 1, 2).dup();
        INDArray k1 = KerasWeightsFile.read(h5, Set.of("tiny1_conv")).layers().get("tiny1_conv").arrays()
                .get(KerasWeightRole.KERNEL);
        INDArray b1 = KerasWeightsFile.read(h5, Set.of("tiny1_conv")).layers().get("tiny1_conv").arrays()
                .get(KerasWeightRole.BIAS);
        INDArray out = base.feedForward(input, false).get("tiny1_conv");
        int y = 6;
        int x = 9;
        for (int o = 0; o < 8; o++) {
            double sum = b1.getDouble(o);
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    for (int c = 0; c < 3; c++) {
                        sum += k1.getDouble(ky, kx, c, o) * nhwc.getDouble(0, y + ky - 1, x + kx - 1, c);
                    }
                }
            }
            double actual = format == CNN2DFormat.NHWC ? out.getDouble(0, y, x, o) : out.getDouble(0, o, y, x);
            assertEquals(Math.max(0, sum), actual, 1e-5, "channel " + o);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void batchNormTakesKerasMovingVarianceAndMatchesKerasInference(boolean useLogStd) throws Exception {
        double eps = 1e-3;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(2, 2, 4, CNN2DFormat.NHWC))
                .addLayer("bn_conv1", new BatchNormalization.Builder().eps(eps).useLogStd(useLogStd)
                        .dataFormat(CNN2DFormat.NHWC).activation(Activation.IDENTITY).build(), "input")
                .setOutputs("bn_conv1").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray gamma = Nd4j.createFromArray(1.5f, 0.5f, 2f, 1f);
        INDArray beta = Nd4j.createFromArray(0.1f, -0.2f, 0.3f, 0f);
        INDArray mean = Nd4j.createFromArray(0.5f, -1f, 2f, 0f);
        INDArray variance = Nd4j.createFromArray(4f, 0.25f, 9f, 0.01f);
        Path h5 = dir.resolve("bn.h5");
        new KerasWeightsH5Writer().layer("bn_conv1", Map.of("gamma:0", gamma, "beta:0", beta,
                "moving_mean:0", mean, "moving_variance:0", variance)).write(h5);

        WeightsImport.kerasFile(graph, h5, Set.of("bn_conv1"), false);

        if (useLogStd) {
            INDArray log10Std = graph.getLayer("bn_conv1").getParam("log10stdev");
            assertEquals(0.5 * Math.log10(9.0), log10Std.getDouble(2), 1e-6);
            assertEquals(Math.log10(0.1), log10Std.getDouble(3), 1e-6);
        } else {
            assertEquals(9.0, graph.getLayer("bn_conv1").getParam("var").getDouble(2), 0.0);
        }
        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 2, 2, 4).muli(4).subi(2);
        INDArray out = graph.outputSingle(false, input);
        for (int c = 0; c < 4; c++) {
            double expected = gamma.getDouble(c) * (input.getDouble(0, 1, 0, c) - mean.getDouble(c))
                    / Math.sqrt(variance.getDouble(c) + eps) + beta.getDouble(c);
            assertEquals(expected, out.getDouble(0, 1, 0, c), 1e-4, "channel " + c);
        }
    }

    @Test
    void varianceAndLog10StdConvertBothWays() {
        INDArray variance = Nd4j.createFromArray(4.0, 0.01, 1.0);
        INDArray log10Std = WeightsImport.log10StdFromVariance(variance);
        assertEquals(Math.log10(2.0), log10Std.getDouble(0), 1e-12);
        assertEquals(-1.0, log10Std.getDouble(1), 1e-12);
        assertEquals(variance, WeightsImport.varianceFromLog10Std(log10Std));
    }

    @Test
    void kernelOfTheWrongShapeNamesTheLayerAndBothShapesAndLeavesTheGraphUntouched() {
        Path h5 = dir.resolve("wrong.h5");
        tinyCnnKerasWeights(7)
                .layer("tiny2_conv", Map.of("kernel:0", Nd4j.zeros(DataType.FLOAT, 3, 3, 8, 32),
                        "bias:0", Nd4j.zeros(DataType.FLOAT, 32)))
                .write(h5);
        ComputationGraph graph = tinyCnn(CNN2DFormat.NHWC, 1);
        INDArray before = graph.params().dup();

        WeightsException e = assertThrows(WeightsException.class, () -> WeightsImport.kerasFile(graph, h5,
                Set.of("tiny1_conv", "tiny2_conv", "tiny3_conv"), true));

        assertTrue(e.getMessage().contains("'tiny2_conv'"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 3, 8, 32]") && e.getMessage().contains("[3, 3, 8, 16]"),
                e.getMessage());
        assertEquals(before, graph.params());
    }

    @Test
    void fileOfAnotherArchitectureSaysWhichLayerIsMissing() {
        Path h5 = dir.resolve("other.h5");
        new KerasWeightsH5Writer().layer("conv1", Map.of("kernel:0", Nd4j.zeros(DataType.FLOAT, 7, 7, 3, 64)))
                .write(h5);
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsImport.kerasFile(
                tinyCnn(CNN2DFormat.NHWC, 1), h5, Set.of("tiny1_conv", "tiny2_conv", "tiny3_conv"), true));
        assertTrue(e.getMessage().contains("no layer 'tiny1_conv'") && e.getMessage().contains("[conv1]"),
                e.getMessage());
    }

    @Test
    void recognisesKeras1AndKeras2WeightNames() {
        assertEquals(KerasWeightRole.KERNEL, KerasWeightRole.ofDatasetName("block1_conv1/block1_conv1/kernel:0").get());
        assertEquals(KerasWeightRole.KERNEL, KerasWeightRole.ofDatasetName("block1_conv1_W_1:0").get());
        assertEquals(KerasWeightRole.BIAS, KerasWeightRole.ofDatasetName("conv1_b:0").get());
        assertEquals(KerasWeightRole.MOVING_VARIANCE, KerasWeightRole.ofDatasetName("bn_conv1_running_std:0").get());
        assertEquals(KerasWeightRole.MOVING_MEAN, KerasWeightRole.ofDatasetName("bn2a/moving_mean:0").get());
        assertTrue(KerasWeightRole.ofDatasetName("bn/counter:0").isEmpty());
    }
}
