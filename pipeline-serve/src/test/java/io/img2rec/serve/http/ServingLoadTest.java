package io.img2rec.serve.http;

import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.core.testing.ProcessMemory;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.testing.LoadClients;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7 load test on loopback: 16 concurrent clients send 2,000 requests (valid images, corpus files that must be
 * refused, profile updates with deliberate duplicates) to a {@link RecommendationServer} with fake models that take
 * 2 ms per call. Zero 5xx, every invalid input 4xx, every valid score what a sequential call gives (so parallel callers
 * of the shared {@link Recommender} do not mix results), the store's counts exactly the distinct images sent, memory
 * bounded; p50/p99 latency printed. About 10 s on a shared 2-core machine.
 */
@Tag("slow")
class ServingLoadTest {
    private static final int CLIENTS = 16;
    private static final int REQUESTS = 2_000;
    private static final int PROFILES = 8;

    @TempDir
    Path dir;

    private record Sent(String kind, int status, long nanos, String body, int colour) {
    }

    @Test
    void sixteenClientsTwoThousandMixedRequestsNo5xxExactCountsBoundedMemory() throws Exception {
        List<BadInputCorpus.Item> corpus = BadInputCorpus.write(dir.resolve("corpus"));
        List<byte[]> invalid = new ArrayList<>();
        List<Integer> invalidStatus = new ArrayList<>();
        for (BadInputCorpus.Item item : corpus) {
            if (item.hasBytes() && item.serve().isPresent() && !item.name().equals("empty.jpg")) {
                invalid.add(Files.readAllBytes(dir.resolve("corpus").resolve(item.name())));
                invalidStatus.add(item.serve().get().code().equals("too-many-pixels") ? 413 : 400);
            }
        }
        // 64 distinct valid images: solid colours whose redness steers the fake hat score
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            valid.add(TestImages.encode(TestImages.solid(48 + i % 5, 40, new Color(i * 4, 255 - i * 3, (i * 37) % 256)),
                    i % 2 == 0 ? "png" : "jpeg"));
        }
        var registry = ModelRegistry.of(List.of(
                ServeFixtures.fake("vgg16", "hat", 0.5, ServeFixtures::redness, 2),
                ServeFixtures.fake("vgg16", "beard", 0.5, c -> 0.1, 0)), List.of("hat", "beard"));
        // enough slots and wait that the cap never answers 503 here (RecommendationServerTest checks the 503 itself)
        ServerLimits limits = new ServerLimits(4L * 1024 * 1024, 4, Duration.ofSeconds(30), CLIENTS, java.util.Optional.of("s3cret"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4)).build();

        Map<String, Set<Integer>> expectedProfiles = new ConcurrentHashMap<>();
        List<Sent> results = Collections.synchronizedList(new ArrayList<>());
        long heapBefore;
        long peakBefore = ProcessMemory.peakResidentKb();
        double seconds;
        try (Recommender recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
             ProfileStore store = ProfileStore.open(dir.resolve("profiles.db"));
             RecommendationServer server = new RecommendationServer(recommender, store, limits,
                     new InetSocketAddress("127.0.0.1", 0))) {
            Map<Integer, Double> expectedHat = new HashMap<>();
            for (int i = 0; i < valid.size(); i++) {
                expectedHat.put(i, recommender.recommendImage(valid.get(i), "v" + i).labelScores().get("hat"));
            }
            System.gc();
            heapBefore = ProcessMemory.usedHeapBytes();
            String base = "http://127.0.0.1:" + server.port();
            seconds = LoadClients.run(CLIENTS, REQUESTS, n -> {
                int kind = n % 10; // 0-4 valid recommend, 5-6 invalid, 7-9 profile update
                HttpRequest.Builder request;
                String what;
                int colour = -1;
                if (kind <= 4) {
                    colour = (n * 7) % valid.size();
                    what = "valid";
                    request = post(base + "/v1/recommend?name=v" + colour, valid.get(colour));
                } else if (kind <= 6) {
                    colour = (n / 10 * 2 + kind - 5) % invalid.size(); // every invalid file in turn
                    what = "invalid";
                    request = post(base + "/v1/recommend?name=bad" + colour, invalid.get(colour));
                } else {
                    colour = (n / 10 * 3 + kind) % 24; // 24 images over 8 profiles, sent ~600 times: many duplicates
                    String profile = "p" + (n % PROFILES);
                    expectedProfiles.computeIfAbsent(profile, k -> ConcurrentHashMap.newKeySet()).add(colour);
                    what = "profile";
                    request = post(base + "/v1/profiles/" + profile + "/images?name=v" + colour,
                            valid.get(colour)).header("Authorization", "Bearer s3cret");
                }
                long t0 = System.nanoTime();
                HttpResponse<String> response = client.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                results.add(new Sent(what, response.statusCode(), System.nanoTime() - t0, response.body(),
                        colour));
            });

            // outcomes
            assertEquals(REQUESTS, results.size());
            Map<String, Map<Integer, Integer>> byKind = new HashMap<>();
            for (Sent s : results) {
                byKind.computeIfAbsent(s.kind(), k -> new java.util.TreeMap<>()).merge(s.status(), 1, Integer::sum);
            }
            System.out.println("load: statuses by kind " + byKind);
            assertTrue(results.stream().noneMatch(s -> s.status() >= 500), "no 5xx: " + byKind);
            for (Sent s : results) {
                switch (s.kind()) {
                    case "valid" -> {
                        assertEquals(200, s.status(), s.body());
                        double hat = ResultJson.mapper().readTree(s.body()).get("labelScores").get("hat").asDouble();
                        assertEquals(expectedHat.get(s.colour()), hat, 1e-12, "score of v" + s.colour());
                    }
                    case "invalid" -> assertEquals((int) invalidStatus.get(s.colour()), s.status(), s.body());
                    default -> assertTrue(s.status() == 200 || s.status() == 201, s.body());
                }
            }
            // the store holds exactly the distinct images sent to each profile; each was "added" (201) exactly once
            int created = (int) results.stream().filter(s -> s.status() == 201).count();
            int distinct = 0;
            for (var entry : expectedProfiles.entrySet()) {
                var state = store.state(entry.getKey()).orElseThrow();
                assertEquals(entry.getValue().size(), state.imagesSeen(), entry.getKey());
                assertEquals(entry.getValue().size(), state.imagesAnalysed(), entry.getKey());
                distinct += entry.getValue().size();
            }
            assertEquals(distinct, created, "one 201 per distinct (profile, image)");
            System.out.println("load: " + distinct + " distinct profile images stored from "
                    + byKind.get("profile").values().stream().mapToInt(Integer::intValue).sum() + " updates");
        }
        System.gc();
        long heapAfter = ProcessMemory.usedHeapBytes();
        long peakGrowthMb = (ProcessMemory.peakResidentKb() - peakBefore) / 1024;
        long[] nanos = results.stream().mapToLong(Sent::nanos).sorted().toArray();
        String line = String.format(Locale.ROOT, "load: %d requests from %d clients in %.1f s (%.0f req/s); latency p50 "
                        + "%.1f ms, p99 %.1f ms, max %.1f ms; heap after GC %d → %d MB; peak RSS grew %d MB",
                REQUESTS, CLIENTS, seconds, REQUESTS / seconds, LoadClients.percentile(nanos, 50) / 1e6,
                LoadClients.percentile(nanos, 99) / 1e6, nanos[nanos.length - 1] / 1e6, heapBefore >> 20, heapAfter >> 20,
                peakGrowthMb);
        System.out.println(line);
        Files.writeString(Path.of("target", "serving-load.txt"), line + "\n");
        assertTrue(heapAfter - heapBefore < 64L << 20, "heap retained after the load: " + ((heapAfter - heapBefore) >> 20) + " MB");
        assertTrue(peakGrowthMb < 1024, "peak resident memory grew by " + peakGrowthMb + " MB");
    }

    private static HttpRequest.Builder post(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

}
