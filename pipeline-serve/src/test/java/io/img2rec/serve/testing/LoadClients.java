package io.img2rec.serve.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Load-test clients: {@code clients} threads share {@code requests} numbered requests, each sent by the caller's code. */
public final class LoadClients {
    private LoadClients() {
    }

    /** One request; {@code n} runs from 0 to {@code requests - 1}, each exactly once. */
    @FunctionalInterface
    public interface Request {
        void send(int n) throws Exception;
    }

    /** Runs every request, rethrows the first failure; returns the wall-clock seconds all of them took. */
    public static double run(int clients, int requests, Request request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < requests) {
                        request.send(n);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return the p-th percentile (nearest rank) of ascending {@code sorted} values */
    public static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
