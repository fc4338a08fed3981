package io.img2rec.train.loop;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent, reproducible seeds from the run's one seed and a path of names and numbers
 * (e.g. {@code seed → "hat" → "fine_tune" → epoch 7}), so any epoch can be replayed alone — which is what makes a
 * resumed run equal an uninterrupted one.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long derive(long seed, Object... path) {
        long state = seed;
        for (Object part : path) {
            for (byte b : String.valueOf(part).getBytes(StandardCharsets.UTF_8)) {
                state = new SplittableRandom(state * 31 + b).nextLong();
            }
            state = new SplittableRandom(state ^ 0x9E3779B97F4A7C15L).nextLong();
        }
        return state;
    }

    public static SplittableRandom random(long seed, Object... path) {
        return new SplittableRandom(derive(seed, path));
    }
}
