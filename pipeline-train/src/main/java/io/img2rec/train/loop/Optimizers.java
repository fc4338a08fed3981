package io.img2rec.train.loop;

import io.img2rec.core.config.OptimizerConfig;
import io.img2rec.core.optim.ClassicalMomentum;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Turns an {@link OptimizerConfig} into a DL4J updater and puts it on every trainable layer of a fresh graph. */
public final class Optimizers {
    /** Keras 2.2's {@code K.epsilon()}, the epsilon its Adam used. */
    public static final double KERAS_ADAM_EPSILON = 1e-7;

    private Optimizers() {
    }

    public static IUpdater of(OptimizerConfig config) {
        return switch (config.kind()) {
            case ADAM -> Adam.builder().learningRate(config.learningRate()).beta1(0.9).beta2(0.999)
                    .epsilon(KERAS_ADAM_EPSILON).build();
            case SGD_MOMENTUM -> new ClassicalMomentum(config.learningRate(), config.momentum());
            case NESTEROV -> new Nesterovs(config.learningRate(), config.momentum());
            case SGD -> new Sgd(config.learningRate());
        };
    }

    /**
     * Sets the updater of every layer with parameters. Must be called before the graph's first fit (DL4J builds
     * its updater state lazily from the layer configurations then).
     */
    public static ComputationGraph apply(ComputationGraph graph, OptimizerConfig config) {
        if (graph.getUpdater(false) != null) {
            throw new IllegalStateException("the graph has already been trained; set its optimiser before the first fit");
        }
        IUpdater updater = of(config);
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                base.setIUpdater(updater.clone());
                base.setBiasUpdater(null);
            }
        }
        return graph;
    }
}
