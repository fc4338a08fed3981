package io.img2rec.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.store.ProfileState;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.testing.LoadClients;
import io.img2rec.serve.testing.StoreServerProcess;
import io.img2rec.serve.testing.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: two HTTP server processes (child JVMs, {@link StoreServerProcess}) share one PostgreSQL database; 16
 * loopback clients send each (profile, image) to both servers at the same moment, some twice over. No 5xx; exactly one 201 per distinct (profile, image) across the two servers; each profile's
 * counts are the distinct images sent to it, and both servers answer the same state. Throughput and p50/p99 are
 * printed and written to {@code target/shared-store-load.txt} (docs/RELIABILITY.md quotes them).
 */
@ExtendWith(ThrowawayPostgres.Extension.class)
class SharedStoreServingTest {
    private static final int CLIENTS = 16;
    private static final int REQUESTS = 480;
    private static final int PROFILES = 8;
    private static final int IMAGES = 24;

    private record Sent(int server, String profile, int image, int status, long nanos, String body) {
    }

    @Test
    void twoServerProcessesOnOnePostgresCountEveryImageOnceUnderSixteenClients(ThrowawayPostgres pg)
            throws Exception {
        String url = pg.newDatabase();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(TestImages.encode(TestImages.solid(48 + i % 5, 40,
                    new Color(i * 10, 255 - i * 7, (i * 37) % 256)), i % 2 == 0 ? "png" : "jpeg"));
        }
        List<Process> servers = new ArrayList<>();
        try {
            servers.add(start(url));
            servers.add(start(url));
            int[] ports = new int[servers.size()];
            for (int s = 0; s < servers.size(); s++) {
                ports[s] = portOf(servers.get(s));
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newFixedThreadPool(4)).build();
            // warm-up (not timed, not stored): the first calls of a fresh JVM load the decoders and compile the hot
            // paths; without it p99 measures JVM start-up, not the store
            for (int s = 0; s < servers.size(); s++) {
                for (int i = 0; i < 2 * IMAGES; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + ports[s] + "/v1/recommend?name=warm" + i)).timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(images.get(i % IMAGES))).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    assertEquals(200, r.statusCode(), r.body());
                }
            }
            Map<String, Set<Integer>> expected = new ConcurrentHashMap<>();
            List<Sent> results = Collections.synchronizedList(new ArrayList<>());
            double seconds = LoadClients.run(CLIENTS, REQUESTS, n -> {
                // requests n and n+1 carry the same (profile, image) to the two servers at the same moment: a race
                // between processes for every pair; 480 requests = 192 pairs twice, then the first 48 twice again
                int server = n % 2;
                int pair = (n / 2) % (PROFILES * IMAGES);
                String profile = "p" + pair % PROFILES;
                int image = (pair / PROFILES * 5) % IMAGES;
                expected.computeIfAbsent(profile, k -> ConcurrentHashMap.newKeySet()).add(image);
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[server]
                                + "/v1/profiles/" + profile + "/images?name=v" + image))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
                        .header("Authorization", "Bearer " + StoreServerProcess.TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(images.get(image))).build();
                long t0 = System.nanoTime();
                HttpResponse<String> response = client.send(request,
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                results.add(new Sent(server, profile, image, response.statusCode(), System.nanoTime() - t0,
                        response.body()));
            });

            assertEquals(REQUESTS, results.size());
            Map<Integer, Map<Integer, Integer>> statuses = new TreeMap<>();
            for (Sent s : results) {
                statuses.computeIfAbsent(s.server(), k -> new TreeMap<>()).merge(s.status(), 1, Integer::sum);
            }
            System.out.println("shared store: statuses by server " + statuses);
            for (Sent s : results) {
                assertTrue(s.status() == 200 || s.status() == 201, "server " + s.server() + ": " + s.status() + " "
                        + s.body());
            }
            // one 201 per distinct (profile, image), whichever server got it first
            Map<String, Integer> created = new HashMap<>();
            for (Sent s : results) {
                if (s.status() == 201) {
                    created.merge(s.profile() + "/" + s.image(), 1, Integer::sum);
                }
            }
            int distinct = expected.values().stream().mapToInt(Set::size).sum();
            assertEquals(distinct, created.size(), "every distinct pair was added");
            assertTrue(created.values().stream().allMatch(c -> c == 1), "no pair added twice: " + created);
            int addedBySecond = (int) results.stream().filter(s -> s.status() == 201 && s.server() == 1).count();
            assertTrue(addedBySecond > 0 && addedBySecond < distinct, "both servers added images: " + addedBySecond
                    + " of " + distinct + " by the second");

            try (ProfileStore store = ProfileStore.open(url)) {
                for (var entry : expected.entrySet()) {
                    ProfileState state = store.state(entry.getKey()).orElseThrow();
                    assertEquals(entry.getValue().size(), state.imagesSeen(), entry.getKey());
                    assertEquals(entry.getValue().size(), state.imagesAnalysed(), entry.getKey());
                    long hats = entry.getValue().stream().filter(i -> hatScore(results, i) >= 0.5).count();
                    assertEquals(hats, state.tallies().stream().filter(t -> t.label().equals("hat")).findFirst()
                            .map(t -> t.positiveImages()).orElse(0).longValue(), entry.getKey() + " hats");
                    JsonNode fromFirst = get(client, ports[0], entry.getKey());
                    JsonNode fromSecond = get(client, ports[1], entry.getKey());
                    assertEquals(fromFirst, fromSecond, "both servers read the same state of " + entry.getKey());
                    assertEquals(entry.getValue().size(), fromFirst.get("imagesSeen").asInt());
                }
            }
            long[] nanos = results.stream().mapToLong(Sent::nanos).sorted().toArray();
            String line = String.format(Locale.ROOT, "shared PostgreSQL store: %d profile updates from %d clients to "
                            + "2 server processes in %.1f s (%.0f req/s); latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                            + "%d distinct images stored, each added once", REQUESTS, CLIENTS, seconds,
                    REQUESTS / seconds, LoadClients.percentile(nanos, 50) / 1e6, LoadClients.percentile(nanos, 99) / 1e6,
                    nanos[nanos.length - 1] / 1e6, distinct);
            System.out.println(line);
            Files.writeString(Path.of("target", "shared-store-load.txt"), line + "\n");
        } finally {
            for (Process p : servers) {
                p.getOutputStream().close();
            }
            for (Process p : servers) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The hat score a server answered for image {@code i} (the fake model is deterministic). */
    private static double hatScore(List<Sent> results, int i) {
        for (Sent s : results) {
            if (s.image() == i) {
                try {
                    return ResultJson.mapper().readTree(s.body()).get("image").get("labelScores").get("hat")
                            .asDouble();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("image " + i + " never sent");
    }

    private static JsonNode get(HttpClient client, int port, String profile) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/profiles/" + profile)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        return ResultJson.mapper().readTree(response.body());
    }

    private static Process start(String url) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), StoreServerProcess.class.getName(), url)
                .redirectErrorStream(true).start();
    }

    /** Reads the child's output up to its "port" line (within 120 s), then keeps draining it on a daemon thread. */
    private static int portOf(Process child) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
            if (line.startsWith("port ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (lines.readLine() != null) {
                            // the server's log, not needed once it listens
                        }
                    } catch (java.io.IOException ignored) {
                        // the child ended
                    }
                }, "store-server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring("port ".length()).strip());
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("server process did not print its port:\n" + seen);
    }
}
