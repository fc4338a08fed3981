package io.img2rec.core.split;

import io.img2rec.core.manifest.Split;

/**
 * Fractions of the data for train, validation and test: each at least 0, summing to 1 (within 1e-9).
 */
public record SplitRatios(double train, double validation, double test) {

    public static final SplitRatios DEFAULT = new SplitRatios(0.70, 0.15, 0.15);
    private static final double TOLERANCE = 1e-9;

    public SplitRatios {
        check("train", train);
        check("validation", validation);
        check("test", test);
        double sum = train + validation + test;
        if (Math.abs(sum - 1.0) > TOLERANCE) {
            throw new IllegalArgumentException("split ratios must sum to 1, got train=" + train + " validation="
                    + validation + " test=" + test + " (sum " + sum + ")");
        }
    }

    private static void check(String name, double value) {
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("split ratio " + name + " must be >= 0, got " + value);
        }
    }

    /** The ratio of one split; {@link Split#UNASSIGNED} has none. */
    public double of(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
            case UNASSIGNED -> throw new IllegalArgumentException("UNASSIGNED has no ratio");
        };
    }
}
