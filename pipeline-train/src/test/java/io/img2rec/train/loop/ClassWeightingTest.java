package io.img2rec.train.loop;

import io.img2rec.core.config.OptimizerConfig;
import io.img2rec.core.config.TrainConfig;
import io.img2rec.core.optim.ClassicalMomentum;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassWeightingTest {
    /** 1 positive and 3 negatives: balanced weights are n/(2·n_class) = 4/2 = 2 and 4/6 = 2/3 (scikit-learn's rule). */
    private static final float[][] TRUTH = {{1}, {0}, {0}, {0}};

    @Test
    void balancedWeightsFollowTheScikitLearnRuleAndNoneIsAllOnes() {
        ClassWeighting balanced = ClassWeighting.of(TrainConfig.ClassWeights.BALANCED, TRUTH, 1);
        assertEquals(2.0, balanced.weight(0, true), 1e-12);
        assertEquals(2.0 / 3.0, balanced.weight(0, false), 1e-12);
        assertArrayEquals(new float[] {2f, 2f / 3f, 2f / 3f, 2f / 3f}, balanced.mask(TRUTH), 1e-6f);
        ClassWeighting none = ClassWeighting.of(TrainConfig.ClassWeights.NONE, TRUTH, 1);
        assertArrayEquals(new float[] {1, 1, 1, 1}, none.mask(TRUTH));
    }

    private static ComputationGraph logistic() {
        var conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(new LossBinaryXENT()).nIn(2).nOut(1)
                        .activation(Activation.SIGMOID).build(), "in")
                .setOutputs("out").build();
        var graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static INDArray gradient(ClassWeighting weighting) {
        ComputationGraph graph = logistic();
        INDArray x = Nd4j.create(new float[][] {{1, 2}, {0.5f, -1}, {-1, 0}, {2, 1}});
        INDArray mask = Nd4j.create(weighting.mask(TRUTH), new long[] {4, 1}, 'c');
        graph.setInputs(x);
        graph.setLabels(Nd4j.create(TRUTH));
        graph.setLayerMaskArrays(null, new INDArray[] {mask});
        graph.computeGradientAndScore();
        return graph.gradient().gradient().dup();
    }

    @Test
    void balancedWeightsReallyChangeTheGradient() {
        INDArray unweighted = gradient(ClassWeighting.of(TrainConfig.ClassWeights.NONE, TRUTH, 1));
        INDArray weighted = gradient(ClassWeighting.of(TrainConfig.ClassWeights.BALANCED, TRUTH, 1));
        double difference = unweighted.sub(weighted).norm2Number().doubleValue();
        assertTrue(difference > 1e-3, "class weights must change the gradient, difference " + difference);
        // A uniform weight of 1 equals no mask at all: the original's effective behaviour.
        ComputationGraph graph = logistic();
        graph.setInputs(Nd4j.create(new float[][] {{1, 2}, {0.5f, -1}, {-1, 0}, {2, 1}}));
        graph.setLabels(Nd4j.create(TRUTH));
        graph.computeGradientAndScore();
        assertEquals(0.0, graph.gradient().gradient().sub(unweighted).norm2Number().doubleValue(), 1e-7);
    }

    @Test
    void fineTuningOptimiserIsClassicalMomentumOnEveryLayer() {
        ComputationGraph graph = Optimizers.apply(logistic(),
                new OptimizerConfig(OptimizerConfig.Kind.SGD_MOMENTUM, 5e-5, 0.9));
        graph.fit(new MultiDataSet(Nd4j.create(new float[][] {{1, 2}}), Nd4j.create(new float[][] {{1}})));
        var updater = graph.getUpdater().getUpdaterBlocks().get(0).getGradientUpdater();
        assertEquals(new ClassicalMomentum(5e-5, 0.9), updater.getConfig());
    }
}
