package io.img2rec.train;

import io.img2rec.core.config.ModelConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;

/** The training job's weights step: puts the configured starting weights into the base. */
final class BaseWeights implements TrainingJob.WeightsStep {
    private final Path projectRoot;

    BaseWeights(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    @Override
    public String load(ComputationGraph network, ModelConfig model) throws Exception {
        if (model.randomWeights()) {
            return "random (model.weights: random)";
        }
        if (model.weightsFallback() == ModelConfig.WeightsFallback.RANDOM) {
            return "random (ImageNet weights were not loaded; weights_fallback: random)";
        }
        throw new IllegalStateException("model.weights: " + model.weights() + " cannot be loaded yet from " + projectRoot);
    }
}
