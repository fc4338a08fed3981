package io.img2rec.spark;

import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.config.PipelineConfig;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * Serializable: the training config whose frozen trunk a cache fill runs (as its resolved YAML, so every executor
 * builds the same network, weights and inputs), and the key of the per-JVM holder {@link ExecutorTrunks}.
 */
record TrunkSpec(String configYaml) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static TrunkSpec of(PipelineConfig config) {
        return new TrunkSpec(ConfigWriter.toYaml(config));
    }

    PipelineConfig config() {
        try {
            return ConfigLoader.parse(configYaml, "the cache fill's config", Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("the cache fill's config does not load on this executor: " + e.getMessage(), e);
        }
    }
}
