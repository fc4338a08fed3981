package io.img2rec.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.img2rec.core.manifest.RejectReason;
import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.http.RecommendationServer;
import io.img2rec.serve.http.ServerLimits;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 7: the bad-input corpus through the CLI recommender and the HTTP API; every outcome counted. */
class BadInputServeTest {
    @TempDir
    Path dir;

    /** Serve outcome → the HTTP status the API must answer. */
    private static int expectedStatus(BadInputCorpus.Item item) {
        if (item.serve().isEmpty()) {
            return 200;
        }
        return item.serve().get() == RejectReason.TOO_MANY_PIXELS ? 413 : 400;
    }

    @Test
    void cliRecommendOnTheCorpusFolderReportsEachBadFileAndScoresEveryValidOne() throws Exception {
        long seed = 3;
        for (String label : ServeFixtures.LABELS) {
            ServeFixtures.writeTiny(dir.resolve("run/checkpoints"), "vgg16", label, seed++);
        }
        Path corpus = dir.resolve("corpus");
        List<BadInputCorpus.Item> items = BadInputCorpus.write(corpus);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServeMain.run(new String[] {"recommend", "--models", dir.resolve("run").toString(), "--faces",
                "whole_image", "--format", "json", "--", corpus.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode profiles = ResultJson.mapper().readTree(out.toString(StandardCharsets.UTF_8)).get("profiles");
        Map<String, JsonNode> byName = new TreeMap<>();
        profiles.forEach(p -> byName.put(p.get("profile").asText(), p));
        assertEquals(List.of("corpus", "folder.jpg"), List.copyOf(byName.keySet()),
                "the folder named like an image is a profile; the files beside it are not dropped");
        assertEquals(1, byName.get("folder.jpg").get("imagesAnalysed").asInt());

        JsonNode loose = byName.get("corpus");
        Map<String, JsonNode> results = new HashMap<>();
        loose.get("imageResults").forEach(r -> results.put(r.get("name").asText(), r));
        int analysed = 0;
        int failed = 0;
        for (BadInputCorpus.Item item : items) {
            if (item.kind() == BadInputCorpus.Kind.DIRECTORY) {
                continue;
            }
            JsonNode result = results.get(item.name());
            assertNotNull(result, "no result for " + item.name() + " in " + results.keySet());
            if (item.serve().isEmpty()) {
                assertEquals("ANALYSED", result.get("status").asText(), item.name() + ": " + result);
                assertEquals(ServeFixtures.LABELS.size(), result.get("labelScores").size(), item.name());
                analysed++;
            } else {
                assertEquals("ERROR", result.get("status").asText(), item.name());
                String error = result.get("error").asText();
                assertTrue(error.contains(item.name()), "the error names the file: " + error);
                if (item.kind() == BadInputCorpus.Kind.FILE) {
                    assertTrue(error.contains(item.serve().get().code()), item.name() + ": " + error);
                }
                assertEquals(item.serve().get().code(), result.get("errorCode").asText(), item.name());
                failed++;
            }
        }
        assertEquals(15, analysed);
        assertEquals(7, failed);
        assertEquals(22, loose.get("images").asInt());
        assertEquals(analysed, loose.get("imagesAnalysed").asInt());
        assertEquals(failed, loose.get("imagesFailed").asInt());
    }

    @Test
    void httpAnswersEveryCorpusFile200Or4xxNever5xxAndStoresOnlyTheValidOnes() throws Exception {
        List<BadInputCorpus.Item> items = BadInputCorpus.write(dir.resolve("corpus"));
        var registry = ModelRegistry.of(List.of(
                ServeFixtures.fake("vgg16", "hat", 0.5, ServeFixtures::redness, 0),
                ServeFixtures.fake("vgg16", "beard", 0.5, c -> 0.1, 0)), List.of("hat", "beard"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Recommender recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
             ProfileStore store = ProfileStore.open(dir.resolve("profiles.db"));
             RecommendationServer server = new RecommendationServer(recommender, store, ServerLimits.DEFAULTS,
                     new InetSocketAddress("127.0.0.1", 0))) {
            Map<Integer, Integer> statusCounts = new TreeMap<>();
            int sent = 0;
            for (BadInputCorpus.Item item : items) {
                if (!item.hasBytes()) {
                    continue; // a self-link and a folder have no bytes: a request can only carry bytes, never a path
                }
                byte[] bytes = Files.readAllBytes(dir.resolve("corpus").resolve(item.name()));
                String name = URLEncoder.encode(item.name(), StandardCharsets.UTF_8);
                for (String path : List.of("/v1/recommend?name=" + name, "/v1/profiles/corpus/images?name=" + name)) {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + server.port() + path))
                            .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    int expected = expectedStatus(item);
                    if (expected == 200 && path.contains("/profiles/")) {
                        expected = 201; // a new image for the profile
                    }
                    assertEquals(expected, response.statusCode(), path + " → " + response.body());
                    assertTrue(response.body().startsWith("{"), "JSON body for " + item.name());
                    if (item.serve().isPresent() && item.serve().get() != RejectReason.EMPTY_FILE) {
                        // (an empty body is refused before it is an image: no image code)
                        assertEquals(item.serve().get().code(),
                                ResultJson.mapper().readTree(response.body()).get("errorCode").asText(), item.name());
                    }
                    statusCounts.merge(response.statusCode(), 1, Integer::sum);
                    sent++;
                }
            }
            assertEquals(2 * 21, sent);
            // 15 valid files: 200 from /recommend, 201 from the profile; 6 bad ones twice: 4 × 400 and 2 × 413 each
            assertEquals(Map.of(200, 15, 201, 15, 400, 8, 413, 4), statusCounts);
            var state = store.state("corpus").orElseThrow();
            assertEquals(15, state.imagesSeen(), "every valid upload stored once, no invalid one");
            assertEquals(15, state.imagesAnalysed());
        }
    }
}
