package io.img2rec.train.loop;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.reflect.Field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Re-using the training forward pass's pre-activations in backprop changes nothing but the work: a block-5-like head
 * (two trainable convolutions, pooling, dense, dropout, sigmoid output; NCHW, SGD with momentum as phase 2 trains)
 * fitted with and without it on the same seeds ends with the same parameters and scores, bit for bit, and the
 * layers really did keep their pre-activations.
 */
class PreOutputReuseTest {
    private static ComputationGraph head() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(11).dataType(DataType.FLOAT).updater(new Nesterovs(1e-2, 0.9)).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 8, CNN2DFormat.NCHW))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(),
                        "conv1")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                        "conv2")
                .addLayer("dense", new DenseLayer.Builder().nOut(6).activation(Activation.RELU).dropOut(0.5).build(),
                        "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static INDArray preOutput(ComputationGraph graph, String layer) throws ReflectiveOperationException {
        Field field = org.deeplearning4j.nn.layers.AbstractLayer.class.getDeclaredField("preOutput");
        field.setAccessible(true);
        return (INDArray) field.get(graph.getLayer(layer));
    }

    @Test
    void trainingWithReusedPreActivationsIsBitIdenticalAndReallyReuses() throws Exception {
        ComputationGraph plain = head();
        ComputationGraph reusing = head();
        PreOutputReuse.enable(reusing);
        PreOutputReuse.enable(reusing); // idempotent
        assertArrayEquals(plain.params().toFloatVector(), reusing.params().toFloatVector(), 0f);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 8, 6, 6).subi(0.3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 10, 1).gt(0.5).castTo(DataType.FLOAT);
        for (int step = 0; step < 12; step++) {
            int rows = step % 3 == 2 ? 7 : 10; // a short batch too: the kept arrays follow the batch size
            MultiDataSet data = new MultiDataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)),
                    y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)));
            Nd4j.getRandom().setSeed(100 + step); // the same dropout masks on both
            plain.fit(data);
            Nd4j.getRandom().setSeed(100 + step);
            reusing.fit(data);
            assertEquals(plain.score(), reusing.score(), 0.0, "score of step " + step);
        }
        assertArrayEquals(plain.params().toFloatVector(), reusing.params().toFloatVector(), 0f);
        assertArrayEquals(plain.getUpdater().getStateViewArray().toFloatVector(),
                reusing.getUpdater().getStateViewArray().toFloatVector(), 0f);
        assertArrayEquals(plain.output(x)[0].toFloatVector(), reusing.output(x)[0].toFloatVector(), 0f);
        // DL4J kept the pre-activations only where the mode is on (the field backprop re-uses)
        assertNotNull(preOutput(reusing, "conv1"));
        assertNotNull(preOutput(reusing, "conv2"));
        assertNull(preOutput(plain, "conv1"));
    }
}
