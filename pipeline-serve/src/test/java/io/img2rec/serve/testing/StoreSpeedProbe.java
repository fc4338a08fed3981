package io.img2rec.serve.testing;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;
import io.img2rec.serve.store.ProfileStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: the profile store alone, without HTTP, for docs/RELIABILITY.md. {@code threads} writers add
 * {@code adds} distinct images over 8 profiles, then the same images again (all duplicates), to a SQLite file and to a
 * database on a {@link ThrowawayPostgres}; prints adds/s and p50/p99 per add. Arguments: threads adds (default 8 2000).
 */
public final class StoreSpeedProbe {
    private StoreSpeedProbe() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int adds = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path dir = Files.createTempDirectory("store-probe");
        try (ThrowawayPostgres pg = new ThrowawayPostgres()) {
            for (String location : List.of(dir.resolve("probe.db").toString(), pg.newDatabase())) {
                try (ProfileStore store = ProfileStore.open(location)) {
                    for (String pass : List.of("new images", "duplicates")) {
                        long[] nanos = new long[adds];
                        double seconds = LoadClients.run(threads, adds, n -> {
                            long t0 = System.nanoTime();
                            store.add("p" + n % 8, image(n));
                            nanos[n] = System.nanoTime() - t0;
                        });
                        java.util.Arrays.sort(nanos);
                        System.out.printf(Locale.ROOT, "%s, %s: %d adds from %d threads in %.2f s (%.0f adds/s); "
                                        + "p50 %.2f ms, p99 %.2f ms%n", location.startsWith("jdbc:") ? "PostgreSQL"
                                        : "SQLite", pass, adds, threads, seconds, adds / seconds,
                                LoadClients.percentile(nanos, 50) / 1e6, LoadClients.percentile(nanos, 99) / 1e6);
                    }
                }
            }
        }
    }

    private static ImageResult image(int n) {
        double hat = n % 3 == 0 ? 0.9 : 0.1;
        return new ImageResult("img" + n + ".jpg", "sha-" + n, ImageStatus.ANALYSED, null, 10, 10, false, List.of(),
                List.of(), Map.of("hat", hat, "beard", 0.2, "eyewear", 0.3), hat >= 0.5 ? List.of("hat") : List.of(),
                0, Recommendation.nothing());
    }
}
