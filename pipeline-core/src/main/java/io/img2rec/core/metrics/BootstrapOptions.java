package io.img2rec.core.metrics;

/**
 * Settings for {@link BootstrapInterval}.
 *
 * @param seed       seed of the resampling generator; the same seed and data give the same interval
 * @param resamples  number of bootstrap resamples (at least 2)
 * @param confidence two-sided confidence level, strictly between 0 and 1
 */
public record BootstrapOptions(long seed, int resamples, double confidence) {

    public static final int DEFAULT_RESAMPLES = 1000;
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public BootstrapOptions {
        if (resamples < 2) {
            throw new IllegalArgumentException("resamples = " + resamples + "; need at least 2");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence = " + confidence + "; must be strictly between 0 and 1");
        }
    }

    /** {@value #DEFAULT_RESAMPLES} resamples at 95% confidence with the given seed. */
    public static BootstrapOptions seeded(long seed) {
        return new BootstrapOptions(seed, DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE);
    }
}
