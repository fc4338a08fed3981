package io.img2rec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
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
 * Trainable batch normalizations on oneDNN's training-mode primitives train as on DL4J's oneDNN helper: graphs fitted
 * both ways on the same seeds end with the same parameters, running statistics included, to float rounding; scoring
 * (the running statistics) agrees too.
 */
class TrainingBatchNormsTest {

    @BeforeAll
    static void oneDnnLoads() {
        assertTrue(OneDnnTrunk.available().loaded(), OneDnnTrunk.available().detail());
    }

    /**
     * ResNet50's last block in small: a 1×1 convolution, its batch norm, the residual add with a network input, ReLU,
     * global average pooling, then a dense layer with a batch norm of its own (DL4J hands the helper [n, c, 1, 1]; this
     * one keeps DL4J's default running statistics, mean and log10 of the standard deviation).
     */
    private static ComputationGraph residual() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(11).dataType(DataType.FLOAT).updater(new Nesterovs(1e-2, 0.9)).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("branch", "identity")
                .setInputTypes(InputType.convolutional(5, 5, 12, CNN2DFormat.NCHW),
                        InputType.convolutional(5, 5, 24, CNN2DFormat.NCHW))
                .addLayer("conv", new ConvolutionLayer.Builder(1, 1).nOut(24).activation(Activation.IDENTITY).build(),
                        "branch")
                .addLayer("bn", new BatchNormalization.Builder().eps(1.001e-5).decay(0.99).useLogStd(false)
                        .build(), "conv") // as imported Keras models: mean and variance
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn", "identity")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
                .addLayer("dense", new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).build(), "pool")
                .addLayer("dense_bn", new BatchNormalization.Builder().build(), "dense") // DL4J's log10 std
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).build(), "dense_bn")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Field field(String name) throws ReflectiveOperationException {
        Field f = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static Object helper(ComputationGraph g, String layer) throws ReflectiveOperationException {
        return field("helper").get(g.getLayer(layer));
    }

    /** DL4J falls back to its built-in path, with a warning, when a helper throws: make sure none did. */
    private static void noFallback(ComputationGraph g, String... layers) throws ReflectiveOperationException {
        for (String layer : layers) {
            assertEquals(0, field("helperCountFail").getInt(g.getLayer(layer)),
                    layer + " fell back to DL4J's built-in batch norm");
        }
    }

    private static float maxAbs(float[] v) {
        float m = 0f;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void residualBlockTrainsAsOnDl4jsHelper() throws Exception {
        ComputationGraph dl4j = residual();
        ComputationGraph direct = residual();
        assertInstanceOf(MKLDNNBatchNormHelper.class, helper(dl4j, "bn"), "DL4J's own oneDNN helper is the reference");
        TrainingBatchNorms.Installed installed = TrainingBatchNorms.install(direct);
        assertEquals(new TrainingBatchNorms.Installed(2, ""), installed);
        assertEquals(installed, TrainingBatchNorms.install(direct), "idempotent");
        assertInstanceOf(OneDnnBatchNormHelper.class, helper(direct, "bn"));
        assertInstanceOf(OneDnnBatchNormHelper.class, helper(direct, "dense_bn"));

        Nd4j.getRandom().setSeed(3);
        INDArray branch = Nd4j.rand(DataType.FLOAT, 12, 12, 5, 5).subi(0.4);
        INDArray identity = Nd4j.rand(DataType.FLOAT, 12, 24, 5, 5).subi(0.5);
        INDArray y = Nd4j.rand(DataType.FLOAT, 12, 1).gt(0.5).castTo(DataType.FLOAT);
        float[] start = direct.params().toFloatVector();
        for (int step = 0; step < 8; step++) {
            long rows = step % 3 == 2 ? 9 : 12; // a short batch: another plan
            INDArray[] in = {branch.get(NDArrayIndex.interval(0, rows)), identity.get(NDArrayIndex.interval(0, rows))};
            MultiDataSet data = new MultiDataSet(in, new INDArray[] {y.get(NDArrayIndex.interval(0, rows))});
            dl4j.fit(data);
            direct.fit(data);
        }
        float[] expected = dl4j.params().toFloatVector();
        float[] actual = direct.params().toFloatVector();
        assertNotEquals(0f, maxAbs(diff(start, expected)), "training moved the parameters");
        // the same arithmetic in another summation order: float rounding carried through 8 steps (6e-8 measured)
        assertArrayEquals(expected, actual, 1e-6f * maxAbs(expected));
        assertEquals(dl4j.score(), direct.score(), 1e-5);
        float[] runningMean = direct.getLayer("bn").getParam("mean").toFloatVector();
        assertNotEquals(0f, maxAbs(runningMean), "the running mean was updated from the helper's batch mean");
        assertArrayEquals(dl4j.getLayer("bn").getParam("var").toFloatVector(),
                direct.getLayer("bn").getParam("var").toFloatVector(), 1e-5f);
        noFallback(dl4j, "bn", "dense_bn");
        noFallback(direct, "bn", "dense_bn");

        // scoring normalises with the running statistics
        INDArray[] probe = {Nd4j.rand(DataType.FLOAT, 5, 12, 5, 5), Nd4j.rand(DataType.FLOAT, 5, 24, 5, 5)};
        assertArrayEquals(dl4j.output(probe)[0].toFloatVector(), direct.output(probe)[0].toFloatVector(), 1e-5f);
        noFallback(direct, "bn", "dense_bn");
    }

    private static float[] diff(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    @Test
    void theSystemPropertyKeepsDl4j() throws Exception {
        ComputationGraph g = residual();
        System.setProperty(TrainingBatchNorms.PROPERTY, "dl4j");
        try {
            TrainingBatchNorms.Installed installed = TrainingBatchNorms.install(g);
            assertEquals(0, installed.layers());
            assertTrue(installed.reason().contains("dl4j"), installed.reason());
            assertInstanceOf(MKLDNNBatchNormHelper.class, helper(g, "bn"));
        } finally {
            System.clearProperty(TrainingBatchNorms.PROPERTY);
        }
    }
}
