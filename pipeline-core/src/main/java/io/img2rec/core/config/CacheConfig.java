package io.img2rec.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The frozen-trunk activation cache.
 *
 * @param ramBudgetMb activations kept in memory up to this size; the rest spills to files in the run folder
 * @param shards      a folder of cache shards filled on Spark that the run reads instead of computing the cache;
 *                    {@code null}: the run computes it (relative paths resolve against the project root)
 */
public record CacheConfig(long ramBudgetMb, Path shards) {
    public CacheConfig {
        ConfigKeys.CACHE_RAM_BUDGET_MB.check(ramBudgetMb);
    }

    /** A cache computed by the run itself. */
    public CacheConfig(long ramBudgetMb) {
        this(ramBudgetMb, null);
    }

    /** {@link #shards()}, or empty when the run computes its cache. */
    public Optional<Path> shardsFolder() {
        return Optional.ofNullable(shards);
    }

    /** The declared defaults ({@link ConfigKeys}). */
    public static CacheConfig defaults() {
        return PipelineConfig.defaults(io.img2rec.core.model.Backbone.VGG16).cache();
    }
}
