package io.img2rec.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecommendationServerTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RecommendationServer server;
    private Recommender recommender;
    private ProfileStore store;

    /** Hat score = redness of the image, beard = 0.1: a red image is a hat image. Each inference pauses. */
    private void start(ServerLimits limits, long pauseMillis) throws Exception {
        start(limits, pauseMillis, ServeFixtures::redness);
    }

    private void start(ServerLimits limits, long pauseMillis,
                       java.util.function.ToDoubleFunction<io.img2rec.core.image.RgbImage> hat) throws Exception {
        var registry = ModelRegistry.of(List.of(
                ServeFixtures.fake("vgg16", "hat", 0.5, hat, pauseMillis),
                ServeFixtures.fake("vgg16", "beard", 0.5, c -> 0.1, 0)), List.of("hat", "beard"));
        recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
        store = ProfileStore.open(dir.resolve("profiles.db"));
        server = new RecommendationServer(recommender, store, limits, new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            recommender.close();
            store.close();
        }
    }

    private HttpResponse<String> post(String path, byte[] body, String type, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static byte[] png(Color color) {
        return TestImages.encode(TestImages.solid(40, 30, color), "png");
    }

    @Test
    void recommendsForAnUploadedImageAndReportsHealth() throws Exception {
        start(ServerLimits.DEFAULTS, 0);
        var response = post("/v1/recommend?name=red.png", png(Color.RED), "image/png", null);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"message\":\"We recommend hat products\""), response.body());
        assertTrue(response.body().contains("\"name\":\"red.png\""), response.body());
        var health = get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"labels\":[\"beard\",\"hat\"]"), health.body());
    }

    @Test
    void readinessFollowsTheStoreWhileLivenessStays() throws Exception {
        start(ServerLimits.DEFAULTS, 0);
        assertEquals(200, get("/health/live").statusCode());
        var ready = get("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready", ResultJson.mapper().readTree(ready.body()).get("status").asText(), ready.body());
        store.close(); // the database gone from under a running server
        var notReady = get("/health/ready");
        assertEquals(503, notReady.statusCode(), notReady.body());
        assertTrue(notReady.body().contains("not ready") && notReady.headers().firstValue("Retry-After").isPresent(),
                notReady.body());
        assertEquals(200, get("/health/live").statusCode());
        assertEquals(500, get("/v1/profiles/alice").statusCode(), "a store failure is a server fault");
    }

    @Test
    void refusesLargeBodiesNonImagesAndWrongTypesWithJsonErrors() throws Exception {
        start(ServerLimits.DEFAULTS.withMaxBodyBytes(2000), 0);
        var large = post("/v1/recommend", new byte[3000], "image/png", null);
        assertEquals(413, large.statusCode());
        assertTrue(large.body().startsWith("{\"error\":"), large.body());
        var html = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
        assertEquals(415, post("/v1/recommend", html, "text/html", null).statusCode());
        var notImage = post("/v1/recommend", html, "application/octet-stream", null);
        assertEquals(400, notImage.statusCode());
        assertTrue(notImage.body().contains("not-an-image"), notImage.body());
        assertEquals(404, get("/etc/passwd").statusCode());
        assertEquals(400, get("/v1/profiles/.hidden").statusCode());
    }

    @Test
    void theStatusFollowsTheBodyNeverACraftedName() throws Exception {
        start(ServerLimits.DEFAULTS, 0);
        byte[] corrupt = BadInputCorpus.bytesOf("truncated.jpg", Color.RED);
        byte[] bomb = BadInputCorpus.bytesOf("bomb-30000x30000.png", Color.RED);
        byte[] page = BadInputCorpus.bytesOf("page.jpg", Color.RED);
        for (String name : List.of("too-many-pixels.png", "corrupt.png", "analysis-failed.png",
                "unsupported-format.png", "not-an-image.png")) {
            var corruptAnswer = post("/v1/recommend?name=" + name, corrupt, "image/jpeg", null);
            assertEquals(400, corruptAnswer.statusCode(), name + " → " + corruptAnswer.body());
            assertEquals("corrupt-image", json(corruptAnswer).get("errorCode").asText(), corruptAnswer.body());
            var bombAnswer = post("/v1/recommend?name=" + name, bomb, "image/png", null);
            assertEquals(413, bombAnswer.statusCode(), name + " → " + bombAnswer.body());
            assertEquals("too-many-pixels", json(bombAnswer).get("errorCode").asText());
            var pageAnswer = post("/v1/recommend?name=" + name, page, "application/octet-stream", null);
            assertEquals(400, pageAnswer.statusCode(), name + " → " + pageAnswer.body());
            assertEquals("not-an-image", json(pageAnswer).get("errorCode").asText());
            var valid = post("/v1/recommend?name=" + name, png(Color.RED), "image/png", null);
            assertEquals(200, valid.statusCode(), name + " → " + valid.body());
            assertFalse(json(valid).has("errorCode"), valid.body());
            assertFalse(json(corruptAnswer).has("errorId"), "a client fault has no error id: " + corruptAnswer.body());
        }
    }

    @Test
    void aModelThatThrowsIsA500WithAnErrorIdAndTheServerGoesOnServing() throws Exception {
        start(ServerLimits.DEFAULTS.withMaxConcurrentInferences(1), 0, crop -> {
            double red = ServeFixtures.redness(crop);
            if (red > 0.9) {
                throw new IllegalStateException("model fault (test)");
            }
            if (red > 0.4) {
                throw new OutOfMemoryError("native allocation failed (test)");
            }
            return red;
        });
        for (Color color : List.of(Color.RED, new Color(128, 0, 0))) { // RuntimeException, then OutOfMemoryError
            // a name that reads like a client fault changes nothing
            var failed = post("/v1/recommend?name=too-many-pixels.png", png(color), "image/png", null);
            assertEquals(500, failed.statusCode(), failed.body());
            JsonNode body = json(failed);
            assertEquals("analysis-failed", body.get("errorCode").asText(), failed.body());
            String id = body.get("errorId").asText();
            assertEquals(id, UUID.fromString(id).toString(), "a UUID: " + id);
            assertTrue(body.get("error").asText().contains(id), failed.body());
            assertFalse(failed.body().contains("(test)"), "no internals in the answer: " + failed.body());
            var profile = post("/v1/profiles/p1/images?name=x.png", png(color), "image/png", null);
            assertEquals(500, profile.statusCode(), profile.body());
            // the one inference thread survived: the next image is served
            assertEquals(200, post("/v1/recommend?name=blue.png", png(Color.BLUE), "image/png", null).statusCode());
        }
        assertEquals(404, get("/v1/profiles/p1").statusCode(), "a failed image is not stored");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return ResultJson.mapper().readTree(response.body());
    }

    @Test
    void answers503WithRetryAfterWhenTheOnlyInferenceSlotIsBusy() throws Exception {
        // The first request holds the only slot until the test lets it go: no timing assumptions.
        var entered = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        start(ServerLimits.DEFAULTS.withMaxConcurrentInferences(1).withQueueWait(Duration.ZERO), 0, crop -> {
            entered.countDown();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ServeFixtures.redness(crop);
        });
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/recommend", png(Color.RED), "image/png", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(entered.await(30, java.util.concurrent.TimeUnit.SECONDS), "the first request reached the model");
        var busy = post("/v1/recommend", png(Color.BLUE), "image/png", null);
        release.countDown();
        assertEquals(503, busy.statusCode(), busy.body());
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
        assertEquals(200, slow.get().statusCode());
    }

    @Test
    void profileUpdatesNeedTheTokenCountEachImageOnceAndCanBeRead() throws Exception {
        start(ServerLimits.DEFAULTS.withApiToken("s3cret"), 0);
        assertEquals(401, post("/v1/profiles/alice/images", png(Color.RED), "image/png", null).statusCode());
        assertEquals(401, post("/v1/profiles/alice/images", png(Color.RED), "image/png", "wrong").statusCode());
        assertEquals(201, post("/v1/profiles/alice/images?name=a.png", png(Color.RED), "image/png", "s3cret").statusCode());
        var again = post("/v1/profiles/alice/images?name=a.png", png(Color.RED), "image/png", "s3cret");
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("\"added\":false"), again.body());
        assertEquals(201, post("/v1/profiles/alice/images?name=b.png", png(Color.BLUE), "image/png", "s3cret").statusCode());
        var state = get("/v1/profiles/alice");
        assertEquals(200, state.statusCode());
        assertTrue(state.body().contains("\"imagesSeen\":2"), state.body());
        assertTrue(state.body().contains("\"product\":\"hat\""), state.body());
        assertTrue(state.body().contains("\"share\":0.5"), state.body());
        assertEquals(404, get("/v1/profiles/bob").statusCode());
    }
}
