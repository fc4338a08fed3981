package io.img2rec.train;

import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.weights.PretrainedWeightsLoader;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.core.weights.WeightsSource;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training job's weights step: ImageNet weights from the DL4J zoo cache or a Keras notop h5 file, a weights
 * file, or random initialisation, as the config says (see {@link PretrainedWeightsLoader}).
 */
final class BaseWeights implements TrainingJob.WeightsStep {
    private static final Logger LOG = LoggerFactory.getLogger(BaseWeights.class);

    private final WeightsLocations locations;

    BaseWeights(WeightsLocations locations) {
        this.locations = locations;
    }

    @Override
    public String load(ComputationGraph network, ModelConfig model) throws Exception {
        WeightsSource source = new PretrainedWeightsLoader(locations).load(network, model);
        LOG.info("starting weights: {}", source.description());
        return source.pretrained() ? source.kind().configName() + ": " + source.description() : source.description();
    }
}
