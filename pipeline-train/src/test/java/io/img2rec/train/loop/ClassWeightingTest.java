package io.img2rec.train.loop;

import io.img2rec.core.config.OptimizerConfig;
import io.img2rec.core.config.TrainConfig;
import io.img2rec.core.optim.ClassicalMomentum;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

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
        ClassWeighting none = ClassWeighting.of(TrainConfig.ClassWeights.NONE, TRUTH, 1);
        assertEquals(1.0, none.weight(0, true));
        assertEquals(1.0, none.weight(0, false));
    }

    private static final double[][] X = {{1, 2}, {0.5, -1}, {-1, 0}, {2, 1}};
    private static final double[] W = {0.3, -0.7};
    private static final double B = 0.2;

    private static ComputationGraph logistic() {
        var conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(new LossBinaryXENT()).nIn(2).nOut(1)
                        .activation(Activation.SIGMOID).build(), "in")
                .setOutputs("out").build();
        var graph = new ComputationGraph(conf);
        graph.init();
        graph.getLayer("out").setParam("W", Nd4j.createFromArray(new double[][] {{W[0]}, {W[1]}}));
        graph.getLayer("out").setParam("b", Nd4j.createFromArray(new double[][] {{B}}));
        return graph;
    }

    /** Score and gradient (dW0, dW1, db) of the graph on X / TRUTH after {@code weighting} was applied. */
    private static double[] scoreAndGradient(ClassWeighting weighting) {
        ComputationGraph graph = logistic();
        weighting.applyTo(graph);
        graph.setInputs(Nd4j.createFromArray(X));
        graph.setLabels(Nd4j.create(TRUTH).castTo(DataType.DOUBLE));
        graph.computeGradientAndScore();
        var g = graph.gradient().gradientForVariable();
        return new double[] {graph.score(), g.get("out_W").getDouble(0), g.get("out_W").getDouble(1),
                g.get("out_b").getDouble(0)};
    }

    /**
     * Keras 2.2's weighted objective by hand: loss = mean_i w_i·BCE(y_i, σ(z_i)) with z = x·W + b unscaled; its
     * gradient is mean_i w_i·(σ(z_i) − y_i)·x_i. With {@code logitScale} the weight also multiplies the logit
     * (σ(w·z)), which is what training through DL4J's label mask did before issue 14 §0.
     */
    private static double[] keras(ClassWeighting weighting, boolean logitScale) {
        double loss = 0;
        double[] grad = new double[3];
        for (int i = 0; i < X.length; i++) {
            boolean positive = TRUTH[i][0] > 0.5f;
            double w = weighting.weight(0, positive);
            double z = X[i][0] * W[0] + X[i][1] * W[1] + B;
            double p = 1 / (1 + Math.exp(-(logitScale ? w * z : z)));
            double y = positive ? 1 : 0;
            loss += -w * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
            double dz = w * (p - y) * (logitScale ? w : 1);
            grad[0] += dz * X[i][0];
            grad[1] += dz * X[i][1];
            grad[2] += dz;
        }
        int n = X.length;
        return new double[] {loss / n, grad[0] / n, grad[1] / n, grad[2] / n};
    }

    @Test
    void classWeightsScaleTheLossNotTheLogitAsKerasDoes() {
        ClassWeighting balanced = ClassWeighting.of(TrainConfig.ClassWeights.BALANCED, TRUTH, 1);
        double[] dl4j = scoreAndGradient(balanced);
        double[] expected = keras(balanced, false);
        int n = X.length;
        assertEquals(expected[0], dl4j[0], 1e-9, "weighted loss");
        // DL4J's gradient is the sum over the batch; its updater divides by the batch size.
        for (int k = 1; k < 4; k++) {
            assertEquals(expected[k], dl4j[k] / n, 1e-9, "gradient component " + k);
        }
        double[] scaledLogit = keras(balanced, true);
        assertTrue(Math.abs(scaledLogit[0] - dl4j[0]) > 1e-3,
                "the loss must not be the w·BCE(σ(w·z)) of a label mask: " + scaledLogit[0] + " vs " + dl4j[0]);
    }

    @Test
    void balancedWeightsReallyChangeTheGradientAndUnitWeightsChangeNothing() {
        double[] unweighted = scoreAndGradient(ClassWeighting.of(TrainConfig.ClassWeights.NONE, TRUTH, 1));
        double[] weighted = scoreAndGradient(ClassWeighting.of(TrainConfig.ClassWeights.BALANCED, TRUTH, 1));
        assertTrue(Math.abs(unweighted[1] - weighted[1]) > 1e-3, "class weights must change the gradient");
        // A uniform weight of 1 equals DL4J's own binary cross-entropy: the original's effective behaviour.
        ComputationGraph graph = logistic();
        graph.setInputs(Nd4j.createFromArray(X));
        graph.setLabels(Nd4j.create(TRUTH).castTo(DataType.DOUBLE));
        graph.computeGradientAndScore();
        assertEquals(graph.score(), unweighted[0], 1e-6); // DL4J clips at 1e-5, Keras at 1e-7: far from both here
        var g = graph.gradient().gradientForVariable();
        assertEquals(g.get("out_W").getDouble(0), unweighted[1], 1e-12);
        assertEquals(g.get("out_b").getDouble(0), unweighted[3], 1e-12);
    }

    @Test
    void weightedLossTravelsWithTheModelConfiguration() {
        ComputationGraph graph = logistic();
        ClassWeighting weighting = new ClassWeighting(new double[] {0.75}, new double[] {1.5});
        weighting.applyTo(graph);
        var restored = ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson());
        var layer = (BaseOutputLayer) ((LayerVertex) restored.getVertices().get("out")).getLayerConf().getLayer();
        assertEquals(weighting.loss(), layer.getLossFn());
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
