package io.img2rec.core.config;

/**
 * The frozen-trunk activation cache.
 *
 * @param ramBudgetMb activations kept in memory up to this size; the rest spills to files in the run folder
 */
public record CacheConfig(long ramBudgetMb) {
    public CacheConfig {
        ConfigKeys.CACHE_RAM_BUDGET_MB.check(ramBudgetMb);
    }

    /** The declared defaults ({@link ConfigKeys}). */
    public static CacheConfig defaults() {
        return PipelineConfig.defaults(io.img2rec.core.model.Backbone.VGG16).cache();
    }
}
