package io.img2rec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Trainable convolutions on oneDNN called directly train as DL4J's oneDNN helper trains them: graphs fitted both ways
 * on the same seeds end with the same parameters (block-5-shaped layers, the case phase 2 runs: bit for bit), whatever
 * the convolution mode, stride, bias or batch size, with a layer fed by the network input computing no input gradient
 * and one fed by another layer computing it.
 */
class TrainingConvolutionsTest {

    @BeforeAll
    static void oneDnnLoads() {
        // this project's CPU hosts all load it; a host that does not must fail here, not skip
        assertTrue(OneDnnTrunk.available().loaded(), OneDnnTrunk.available().detail());
    }

    /** Two inputs' worth of convolutions: Same and Truncate modes, stride 2, no bias, a merge, pooling, dropout. */
    private static ComputationGraph small() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.FLOAT).updater(new Nesterovs(1e-2, 0.9)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(11, 11, 8, CNN2DFormat.NCHW))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(16)
                        .convolutionMode(ConvolutionMode.Truncate).padding(1, 1).activation(Activation.RELU).build(),
                        "c1")
                .addLayer("c3", new ConvolutionLayer.Builder(1, 1).nOut(16).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "c2")
                .addLayer("c4", new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(16)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "in")
                .addVertex("merge", new MergeVertex(), "c3", "c4")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                        "merge")
                .addLayer("dense", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).dropOut(0.5).build(),
                        "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** VGG16's block 5 as phase 2 trains it on cached block4_pool activations (fewer channels' worth of batch). */
    private static ComputationGraph block5() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).updater(new Nesterovs(5e-3, 0.9)).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same).cacheMode(CacheMode.DEVICE)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(9, 9, 512, CNN2DFormat.NCHW))
                .addLayer("block5_conv1", new ConvolutionLayer.Builder(3, 3).nOut(512).activation(Activation.RELU)
                        .build(), "in")
                .addLayer("block5_conv2", new ConvolutionLayer.Builder(3, 3).nOut(512).activation(Activation.RELU)
                        .build(), "block5_conv1")
                .addLayer("block5_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "block5_conv2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).build(), "block5_pool")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Object helper(ComputationGraph g, String layer) throws ReflectiveOperationException {
        Field f = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
        f.setAccessible(true);
        return f.get(g.getLayer(layer));
    }

    /** DL4J falls back to its built-in path, with a warning, when a helper throws: make sure none did. */
    private static void noFallback(ComputationGraph g, String... layers) throws ReflectiveOperationException {
        Field f = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helperCountFail");
        f.setAccessible(true);
        for (String layer : layers) {
            assertEquals(0, f.getInt(g.getLayer(layer)), layer + " fell back to DL4J's built-in convolution");
        }
    }

    /** Fits both graphs on the same batches (sizes alternate), resetting the dropout seed before each. */
    private static void fitBoth(ComputationGraph a, ComputationGraph b, long[] shape, int steps) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, shape).subi(0.3);
        INDArray y = Nd4j.rand(DataType.FLOAT, shape[0], 1).gt(0.5).castTo(DataType.FLOAT);
        for (int step = 0; step < steps; step++) {
            long rows = step % 3 == 2 ? shape[0] - 3 : shape[0];
            MultiDataSet data = new MultiDataSet(x.get(NDArrayIndex.interval(0, rows)),
                    y.get(NDArrayIndex.interval(0, rows)));
            Nd4j.getRandom().setSeed(100 + step);
            a.fit(data);
            Nd4j.getRandom().setSeed(100 + step);
            b.fit(data);
        }
    }

    @Test
    void smallGraphTrainsAsOnDl4jsHelper() throws Exception {
        ComputationGraph dl4j = small();
        ComputationGraph direct = small();
        assertInstanceOf(MKLDNNConvHelper.class, helper(dl4j, "c1"), "DL4J's own oneDNN helper is the reference");
        TrainingConvolutions.Installed installed = TrainingConvolutions.install(direct);
        assertEquals(4, installed.layers(), installed.reason());
        assertEquals(2, installed.withoutInputGradient(), "c1 and c4 read the network input");
        assertEquals("", installed.reason());
        assertEquals(installed, TrainingConvolutions.install(direct), "idempotent");
        assertInstanceOf(OneDnnConvolutionHelper.class, helper(direct, "c2"));

        fitBoth(dl4j, direct, new long[] {10, 8, 11, 11}, 9);
        float[] expected = dl4j.params().toFloatVector();
        float[] actual = direct.params().toFloatVector();
        float scale = 0f;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        // the kernels for these tiny shapes may differ between libnd4j's oneDNN 2.3 and JavaCPP's 2.5.2
        assertArrayEquals(expected, actual, 1e-5f * scale);
        assertEquals(dl4j.score(), direct.score(), 1e-5);
        noFallback(dl4j, "c1", "c2", "c3", "c4");
        noFallback(direct, "c1", "c2", "c3", "c4");
        INDArray probe = Nd4j.rand(DataType.FLOAT, 4, 8, 11, 11);
        assertArrayEquals(dl4j.outputSingle(probe).toFloatVector(), direct.outputSingle(probe).toFloatVector(), 1e-5f);
    }

    @Test
    void block5TrainsBitForBitAsOnDl4jsHelper() throws Exception {
        ComputationGraph dl4j = block5();
        ComputationGraph direct = block5();
        TrainingConvolutions.Installed installed = TrainingConvolutions.install(direct);
        assertEquals(new TrainingConvolutions.Installed(2, 1, ""), installed);
        fitBoth(dl4j, direct, new long[] {6, 512, 9, 9}, 3);
        assertArrayEquals(dl4j.params().toFloatVector(), direct.params().toFloatVector(), 0f);
        assertEquals(dl4j.score(), direct.score(), 0.0);
        noFallback(dl4j, "block5_conv1", "block5_conv2");
        noFallback(direct, "block5_conv1", "block5_conv2");
    }

    @Test
    void theSystemPropertyKeepsDl4j() throws Exception {
        ComputationGraph g = small();
        System.setProperty(TrainingConvolutions.PROPERTY, "dl4j");
        try {
            TrainingConvolutions.Installed installed = TrainingConvolutions.install(g);
            assertEquals(0, installed.layers());
            assertTrue(installed.reason().contains("dl4j"), installed.reason());
            assertInstanceOf(MKLDNNConvHelper.class, helper(g, "c1"));
        } finally {
            System.clearProperty(TrainingConvolutions.PROPERTY);
        }
    }

    @Test
    void addressesAViewsFirstElement() {
        INDArray m = Nd4j.arange(0, 40).castTo(DataType.FLOAT).reshape(4, 10);
        INDArray row = m.getRow(2);
        org.bytedeco.javacpp.FloatPointer p = new org.bytedeco.javacpp.FloatPointer(
                OneDnnPrimitives.address(row));
        assertEquals(20f, p.get(0));
        assertEquals(21f, p.get(1));
        INDArray bias = small().getLayer("c2").getParam("b"); // a [1, 16] view into the flattened parameters
        assertTrue(OneDnnPrimitives.denseC(bias));
        assertEquals(bias.getFloat(3), new org.bytedeco.javacpp.FloatPointer(OneDnnPrimitives.address(bias))
                .get(3));
        assertTrue(!OneDnnPrimitives.denseC(m.getColumn(1)));
    }
}
