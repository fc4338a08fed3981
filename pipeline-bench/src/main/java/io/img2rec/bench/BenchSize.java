package io.img2rec.bench;

import java.util.Locale;

/**
 * The shapes and repetition counts of one benchmark run.
 *
 * @param name          {@code full} (the real shapes) or {@code tiny} (the smoke test's)
 * @param vggInput      VGG16 input side (150 in the original recipe)
 * @param resnetInput   ResNet50 input side (224)
 * @param batch         the large batch of forward passes and training steps (16)
 * @param recipeImages  images of the measured two-phase run (train + validation)
 * @param recipeEpochs  epochs per phase of the measured two-phase run
 * @param faces         crops scored at once by the six-model serving case
 * @param warmup        untimed repetitions before timing
 * @param rounds        timed repetitions per case
 */
public record BenchSize(String name, int vggInput, int resnetInput, int batch, int recipeImages, int recipeEpochs,
                        int faces, int warmup, int rounds) {

    public static final BenchSize FULL = new BenchSize("full", 150, 224, 16, 64, 2, 8, 1, 3);
    public static final BenchSize TINY = new BenchSize("tiny", 32, 32, 2, 6, 1, 2, 0, 1);

    public BenchSize {
        if (batch < 1 || recipeImages < 4 || recipeEpochs < 1 || faces < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("bad benchmark size " + name + ": batch=" + batch + ", recipeImages="
                    + recipeImages + ", recipeEpochs=" + recipeEpochs + ", faces=" + faces + ", warmup=" + warmup
                    + ", rounds=" + rounds);
        }
    }

    public static BenchSize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "full" -> FULL;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown size '" + name + "'; allowed: full, tiny");
        };
    }

    public BenchSize withRounds(int newRounds, int newWarmup) {
        return new BenchSize(name, vggInput, resnetInput, batch, recipeImages, recipeEpochs, faces, newWarmup, newRounds);
    }
}
