package io.img2rec.core.config;

import io.img2rec.core.model.Backbone;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * Everything one run needs. Immutable; built by {@link ConfigLoader} from YAML or by code.
 *
 * @param name    short name used in run folder names
 * @param seed    the one seed every random choice derives from (split, init, dropout, augmentation, shuffling)
 * @param labels  label names, in order; each is a sub-folder of the dataset
 * @param runsDir where run folders are created
 */
public record PipelineConfig(String name, long seed, List<String> labels, DataConfig data, ModelConfig model,
                             TrainConfig train, AugmentConfig augment, CacheConfig cache, Path runsDir) {
    public PipelineConfig {
        ConfigKeys.NAME.check(name);
        labels = ConfigKeys.LABELS.check(List.copyOf(ConfigChecks.notNull("labels", labels)));
        var seen = new HashSet<String>();
        for (String label : labels) {
            if (!seen.add(label)) {
                throw new IllegalArgumentException("labels: '" + label + "' is listed twice");
            }
        }
        ConfigChecks.notNull("data", data);
        for (String background : data.backgroundFolders()) {
            if (seen.contains(background)) {
                throw new IllegalArgumentException("data.background_folders: '" + background
                        + "' is also a label; a folder is either a label or a background folder");
            }
        }
        ConfigChecks.notNull("model", model);
        ConfigChecks.notNull("train", train);
        ConfigChecks.notNull("augment", augment);
        ConfigChecks.notNull("cache", cache);
        ConfigKeys.RUNS_DIR.check(runsDir);
    }

    /** The original recipe for one base, on the bundled sample dataset: every key's declared default. */
    public static PipelineConfig defaults(Backbone backbone) {
        return ConfigLoader.defaults(backbone);
    }
}
