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
 * @param threads           scanner threads
 */
public record DataConfig(Path root, List<String> backgroundFolders, SplitConfig split, long maxPixels, int minSide,
                         int threads) {
    public DataConfig {
        ConfigChecks.notNull("data.root", root);
        backgroundFolders = List.copyOf(ConfigChecks.notNull("data.background_folders", backgroundFolders));
        ConfigChecks.notNull("data.split", split);
        ConfigChecks.inRange("data.max_pixels", maxPixels, 1, 1_000_000_000L);
        ConfigChecks.inRange("data.min_side", minSide, 1, 100_000);
        ConfigChecks.inRange("data.threads", threads, 1, 256);
    }

    public static DataConfig defaults() {
        return new DataConfig(Path.of("datasets/sample"), List.of("none"), SplitConfig.defaults(), 40_000_000L, 32,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
}
