package io.img2rec.core.config;

/** Fractions of images in the train / validation / test splits (sum 1). */
public record SplitConfig(double train, double validation, double test) {
    public SplitConfig {
        ConfigKeys.DATA_SPLIT_TRAIN.check(train);
        ConfigKeys.DATA_SPLIT_VALIDATION.check(validation);
        ConfigKeys.DATA_SPLIT_TEST.check(test);
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

    /** The declared defaults ({@link ConfigKeys}). */
    public static SplitConfig defaults() {
        return PipelineConfig.defaults(io.img2rec.core.model.Backbone.VGG16).data().split();
    }
}
