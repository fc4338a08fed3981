package io.img2rec.train;

import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.weights.PretrainedWeightsLoader;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.core.weights.WeightsSource;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Internal. The training job's weights step: ImageNet weights from the DL4J zoo cache or a Keras notop h5 file,
 * a weights file, or random initialisation, as {@code model.weights} says (see {@link PretrainedWeightsLoader}).
 * The public {@link io.img2rec.train.api.Training} uses it unless told otherwise.
 */
public final class BaseWeights implements WeightsStep {
    private static final Logger LOG = LoggerFactory.getLogger(BaseWeights.class);

    private final WeightsLocations locations;

    /** @param locations where the ImageNet files are looked for */
    public BaseWeights(WeightsLocations locations) {
        this.locations = Objects.requireNonNull(locations, "locations");
    }

    @Override
    public WeightsSource load(ComputationGraph network, ModelConfig model) throws Exception {
        WeightsSource source = new PretrainedWeightsLoader(locations).load(network, model);
        LOG.info("starting weights: {}", source.description());
        return source;
    }

    /**
     * The sentence provenance keeps in {@code weightsSource} (unchanged from earlier versions): the kind and the
     * description for pretrained weights, the description alone (which begins with "random") otherwise.
     */
    static String sentence(WeightsSource source) {
        return source.pretrained() ? source.kind().configName() + ": " + source.description() : source.description();
    }
}
