package io.img2rec.core.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which convolution + batch-norm pairs fold: only a plain pair whose convolution nothing else reads and whose batch
 * norm stores the variance. (That folded twins compute what the graph computes is {@code InferenceTrunkTest}'s
 * ResNet50 case, with random running statistics.)
 */
class BatchNormFoldingTest {
    private static ComputationGraphConfiguration graph(boolean logStd, boolean convReadTwice, boolean bnIsOutput) {
        var b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3, CNN2DFormat.NCHW))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn1", new BatchNormalization.Builder().useLogStd(false).activation(Activation.IDENTITY).build(), "c1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "bn1")
                .addLayer("bn2", new BatchNormalization.Builder().useLogStd(logStd).activation(Activation.IDENTITY).build(), "c2")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn2");
        if (convReadTwice) {
            b.addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "relu", "c2");
            return b.setOutputs("sum").build();
        }
        return bnIsOutput ? b.setOutputs("bn2", "relu").build() : b.setOutputs("relu").build();
    }

    @Test
    void foldsPlainPairsOnly() {
        assertEquals(List.of(new BatchNormFolding.Pair("c1", "bn1"), new BatchNormFolding.Pair("c2", "bn2")),
                BatchNormFolding.pairs(graph(false, false, false)));
        assertEquals(List.of(new BatchNormFolding.Pair("c1", "bn1")), BatchNormFolding.pairs(graph(true, false, false)),
                "log-std batch norm");
        assertEquals(List.of(new BatchNormFolding.Pair("c1", "bn1")), BatchNormFolding.pairs(graph(false, true, false)),
                "convolution read by the batch norm and another vertex");
        assertEquals(List.of(new BatchNormFolding.Pair("c1", "bn1")), BatchNormFolding.pairs(graph(false, false, true)),
                "batch norm as a network output");
    }

    @Test
    void removingABatchNormRewiresItsReaders() {
        ComputationGraphConfiguration conf = graph(false, false, false);
        BatchNormFolding.removeBatchNorms(conf, BatchNormFolding.pairs(conf));
        assertEquals(List.of("c1"), conf.getVertexInputs().get("c2"));
        assertEquals(List.of("c2"), conf.getVertexInputs().get("relu"));
        assertEquals(false, conf.getVertices().containsKey("bn1") || conf.getVertices().containsKey("bn2"));
    }
}
