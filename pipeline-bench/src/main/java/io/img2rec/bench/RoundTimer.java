package io.img2rec.bench;

/** Times an action: {@code warmup} untimed runs, then {@code rounds} timed ones (wall clock, seconds each). */
final class RoundTimer {
    private RoundTimer() {
    }

    static double[] time(int warmup, int rounds, Runnable action) {
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] seconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            action.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }
}
