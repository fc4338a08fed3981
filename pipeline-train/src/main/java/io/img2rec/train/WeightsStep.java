package io.img2rec.train;

import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.weights.WeightsSource;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Internal. Puts starting weights into a freshly initialised network and says where they came from (for
 * provenance and the report). {@link BaseWeights} is the real one; tests pass their own.
 */
@FunctionalInterface
public interface WeightsStep {
    WeightsSource load(ComputationGraph network, ModelConfig model) throws Exception;
}
