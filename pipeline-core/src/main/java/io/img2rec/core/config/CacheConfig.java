package io.img2rec.core.config;

/**
 * The frozen-trunk activation cache.
 *
 * @param ramBudgetMb activations kept in memory up to this size; the rest spills to files in the run folder
 */
public record CacheConfig(long ramBudgetMb) {
    public CacheConfig {
        ConfigChecks.inRange("cache.ram_budget_mb", ramBudgetMb, 0, 1_000_000);
    }

    public static CacheConfig defaults() {
        return new CacheConfig(2048);
    }
}
