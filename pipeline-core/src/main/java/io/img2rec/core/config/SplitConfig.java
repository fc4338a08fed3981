package io.img2rec.core.config;

/** Fractions of images in the train / validation / test splits (sum 1). */
public record SplitConfig(double train, double validation, double test) {
    public SplitConfig {
        ConfigChecks.inRange("data.split.train", train, 0.0, 1.0);
        ConfigChecks.inRange("data.split.validation", validation, 0.0, 1.0);
        ConfigChecks.inRange("data.split.test", test, 0.0, 1.0);
        double sum = train + validation + test;
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException("data.split: train + validation + test = " + sum + ", must be 1");
        }
        if (train <= 0 || validation <= 0) {
            throw new IllegalArgumentException("data.split: train and validation must both be above 0 (train "
                    + train + ", validation " + validation + ")");
        }
    }

    /** The same fractions as the splitter takes them. */
    public io.img2rec.core.split.SplitRatios ratios() {
        return new io.img2rec.core.split.SplitRatios(train, validation, test);
    }

    public static SplitConfig defaults() {
        return new SplitConfig(0.70, 0.15, 0.15);
    }
}
