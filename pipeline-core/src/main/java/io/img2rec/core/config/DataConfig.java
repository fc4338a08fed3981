package io.img2rec.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the labelled folders are and how they are scanned and split.
 *
 * @param root              dataset folder with one sub-folder per label
 * @param backgroundFolders sub-folders whose images carry no label (negatives for every label)
 * @param split             split fractions
 * @param maxPixels         images above this many pixels (read from the header) are rejected
 * @param minSide           images with a side below this are rejected
 * @param threads           scanner threads: an execution setting, written to a run's config.yaml but not part of
 *                          the config hash
 */
public record DataConfig(Path root, List<String> backgroundFolders, SplitConfig split, long maxPixels, int minSide,
                         int threads) {
    public DataConfig {
        ConfigKeys.DATA_ROOT.check(root);
        backgroundFolders = ConfigKeys.DATA_BACKGROUND_FOLDERS.check(List.copyOf(
                ConfigChecks.notNull("data.background_folders", backgroundFolders)));
        ConfigChecks.notNull("data.split", split);
        ConfigKeys.DATA_MAX_PIXELS.check(maxPixels);
        ConfigKeys.DATA_MIN_SIDE.check(minSide);
        ConfigKeys.DATA_THREADS.check(threads);
    }

    /** The declared defaults ({@link ConfigKeys}); {@code threads} is this machine's processor count. */
    public static DataConfig defaults() {
        return PipelineConfig.defaults(io.img2rec.core.model.Backbone.VGG16).data();
    }
}
