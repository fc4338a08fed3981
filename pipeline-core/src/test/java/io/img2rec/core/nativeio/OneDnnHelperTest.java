package io.img2rec.core.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * The oneDNN helpers attach to layers (thanks to the {@code org.nd4j.nativeblas.Nd4jCpu} bridge) and compute
 * what DL4J's built-in path computes. Surefire runs with {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false};
 * the helper-off twin is built with the property flipped for the duration of its {@code init()}.
 */
class OneDnnHelperTest {

    private static final double FORWARD_TOLERANCE = 1e-4;
    private static final double GRADIENT_TOLERANCE = 1e-3;

    @Test
    void statusReportsOneDnnBuildWithHelpersEnabled() {
        OneDnnStatus status = OneDnnStatus.current();
        System.out.println("[OneDnnStatus] " + status.summary());
        assertEquals("CPU", status.backendFamily().toUpperCase());
        assertTrue(status.helpersAllowed(), status.summary());
        assertTrue(status.helpersEnabled(), "DL4J's oneDNN check failed: " + status.summary());
        assertTrue(status.oneDnnBuild(), "plain native build loaded: " + status.summary());
        assertTrue(status.accelerated(), status.summary());
    }

    @Test
    void convolutionPoolingAndBatchNormLayersGetOneDnnHelpers() {
        ComputationGraph withHelpers = init(() -> tinyNet(CNN2DFormat.NHWC, false), true);
        assertInstanceOf(MKLDNNConvHelper.class, layer(withHelpers, "conv").getHelper());
        assertInstanceOf(MKLDNNBatchNormHelper.class, layer(withHelpers, "bn").getHelper());
        assertInstanceOf(MKLDNNSubsamplingHelper.class, layer(withHelpers, "pool").getHelper());

        // M2.1's LocalResponseNormalization asks for a helper only on CUDA: on CPU it never gets the oneDNN one.
        ComputationGraph withLrn = init(() -> tinyNet(CNN2DFormat.NCHW, true), true);
        assertNull(layer(withLrn, "lrn").getHelper(), "M2.1 now attaches a CPU LRN helper: update NATIVE-SPEED.md");
        assertInstanceOf(MKLDNNConvHelper.class, layer(withLrn, "conv").getHelper());

        ComputationGraph without = init(() -> tinyNet(CNN2DFormat.NHWC, false), false);
        assertNull(layer(without, "conv").getHelper());
        assertNull(layer(without, "bn").getHelper());
        assertNull(layer(without, "pool").getHelper());
    }

    @Test
    void helperForwardAndBackwardMatchBuiltInPathNhwc() {
        compareHelperOnAndOff(CNN2DFormat.NHWC, false);
    }

    @Test
    void helperForwardAndBackwardMatchBuiltInPathNchwWithLrn() {
        compareHelperOnAndOff(CNN2DFormat.NCHW, true);
    }

    private static void compareHelperOnAndOff(CNN2DFormat format, boolean lrn) {
        ComputationGraph on = init(() -> tinyNet(format, lrn), true);
        ComputationGraph off = init(() -> tinyNet(format, lrn), false);
        off.setParams(on.params().dup());
        assertInstanceOf(MKLDNNConvHelper.class, layer(on, "conv").getHelper());
        assertNull(layer(off, "conv").getHelper());

        Nd4j.getRandom().setSeed(7);
        long[] shape = format == CNN2DFormat.NHWC ? new long[] {4, 12, 12, 3} : new long[] {4, 3, 12, 12};
        INDArray input = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        INDArray labels = Nd4j.create(new float[] {1, 0, 1, 0}, 4, 1);

        INDArray outOn = on.outputSingle(false, input.dup());
        INDArray outOff = off.outputSingle(false, input.dup());
        assertClose(outOff, outOn, FORWARD_TOLERANCE, "inference output");

        on.setInputs(input.dup());
        on.setLabels(labels);
        on.computeGradientAndScore();
        off.setInputs(input.dup());
        off.setLabels(labels);
        off.computeGradientAndScore();
        assertEquals(off.score(), on.score(), 1e-5, "training-mode loss");
        for (String key : off.gradient().gradientForVariable().keySet()) {
            assertClose(off.gradient().getGradientFor(key), on.gradient().getGradientFor(key), GRADIENT_TOLERANCE,
                    "gradient " + key);
        }
    }

    /**
     * Max-norm difference relative to the max-norm of the expected values, floored at 1e-2 so that arrays which
     * are zero in theory (a convolution bias followed by batch normalisation has a zero gradient) compare on
     * an absolute scale.
     */
    private static void assertClose(INDArray expected, INDArray actual, double relTol, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-2);
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        System.out.printf("[helper on/off] %s: max |diff| / max |value| = %.3g%n", what, diff / scale);
        assertTrue(diff / scale <= relTol, what + ": relative difference " + diff / scale + " > " + relTol);
    }

    private static org.deeplearning4j.nn.api.Layer layer(ComputationGraph graph, String name) {
        return graph.getLayer(name);
    }

    /** Builds and initialises a graph with helpers allowed or not; the property is restored afterwards. */
    static ComputationGraph init(Supplier<ComputationGraphConfiguration> conf, boolean helpers) {
        String key = OneDnnStatus.HELPERS_DISABLE_PROPERTY;
        String before = System.getProperty(key);
        System.setProperty(key, String.valueOf(!helpers));
        try {
            ComputationGraph graph = new ComputationGraph(conf.get());
            graph.init();
            return graph;
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private static ComputationGraphConfiguration tinyNet(CNN2DFormat format, boolean lrn) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER_UNIFORM)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(12, 12, 3, format));
        b.addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY)
                .dataFormat(format).build(), "in");
        b.addLayer("bn", new BatchNormalization.Builder().eps(1e-3).decay(0.99).useLogStd(false)
                .dataFormat(format).activation(Activation.RELU).build(), "conv");
        String last = "bn";
        if (lrn) {
            b.addLayer("lrn", new LocalResponseNormalization.Builder().build(), last);
            last = "lrn";
        }
        b.addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2})
                .dataFormat(format).build(), last);
        b.addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "pool");
        b.addLayer("out", new OutputLayer.Builder(new LossBinaryXENT()).nOut(1).activation(Activation.SIGMOID)
                .build(), "dense");
        return b.setOutputs("out").build();
    }
}
