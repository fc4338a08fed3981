package io.img2rec.core.config;

import io.img2rec.core.model.Backbone;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

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
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public PipelineConfig {
        ConfigKeys.NAME.check(name);
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name = '" + name
                    + "' is not allowed: use 1-64 letters, digits, '_', '.', '-' (it becomes part of a folder name)");
        }
        ConfigChecks.notEmpty("labels", labels);
        labels = List.copyOf(labels);
        var seen = new HashSet<String>();
        for (String label : labels) {
            if (!SAFE_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("labels: '" + label
                        + "' is not allowed: use 1-64 letters, digits, '_', '.', '-' (it is a folder name)");
            }
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

    /** The original recipe for one base, on the bundled sample dataset: every key's declared default ({@link ConfigKeys}). */
    public static PipelineConfig defaults(Backbone backbone) {
        return ConfigLoader.defaults(backbone);
    }
}
