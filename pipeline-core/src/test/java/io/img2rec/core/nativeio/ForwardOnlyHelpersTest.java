package io.img2rec.core.nativeio;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With oneDNN helpers on (the surefire configuration), NHWC training gives the same gradients as NCHW once the
 * helpers' backward passes are replaced by DL4J's own — the fix for the M2.1 NHWC backward bug.
 */
class ForwardOnlyHelpersTest {
    /** conv → BN → ReLU → max-pool → conv → conv → global average → sigmoid: layout-invariant end to end. */
    private static ComputationGraph network(CNN2DFormat format) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(20, 20, 3, format))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(6).dataFormat(format)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().dataFormat(format).build(), "c1")
                .addLayer("r1", new org.deeplearning4j.nn.conf.layers.ActivationLayer(Activation.RELU), "bn")
                .addLayer("p1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2})
                        .dataFormat(format).build(), "r1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).dataFormat(format)
                        .activation(Activation.RELU).build(), "p1")
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).nOut(8).dataFormat(format)
                        .activation(Activation.RELU).build(), "c2")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c3")
                .addLayer("out", new OutputLayer.Builder(new LossBinaryXENT()).nOut(1)
                        .activation(Activation.SIGMOID).build(), "gap")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Map<String, INDArray> gradients(ComputationGraph graph, INDArray x, INDArray y) {
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore();
        return graph.gradient().gradientForVariable();
    }

    @Test
    void nhwcGradientsMatchNchwWithForwardOnlyHelpers() {
        INDArray nhwcInput = Nd4j.rand(DataType.FLOAT, 4, 20, 20, 3).subi(0.5);
        INDArray nchwInput = nhwcInput.permute(0, 3, 1, 2).dup('c');
        INDArray labels = Nd4j.create(new float[][] {{1}, {0}, {1}, {0}});

        ComputationGraph nchw = network(CNN2DFormat.NCHW);
        ComputationGraph nhwc = network(CNN2DFormat.NHWC);
        nhwc.setParams(nchw.params()); // same weights: DL4J stores kernels as [out, in, kh, kw] in both layouts
        assertTrue(ForwardOnlyHelpers.install(nhwc) >= 4, "helpers present to wrap (are oneDNN helpers on?)");

        Map<String, INDArray> expected = gradients(nchw, nchwInput, labels);
        Map<String, INDArray> actual = gradients(nhwc, nhwcInput, labels);
        for (var e : expected.entrySet()) {
            INDArray want = e.getValue();
            INDArray got = actual.get(e.getKey());
            double scale = Math.max(1e-3, want.norm2Number().doubleValue()); // c1_b feeds BN: its true gradient is ~0
            double relative = want.sub(got).norm2Number().doubleValue() / scale;
            assertTrue(relative < 1e-3, e.getKey() + ": NHWC gradient differs from NCHW by " + relative + " relative");
        }
    }
}
