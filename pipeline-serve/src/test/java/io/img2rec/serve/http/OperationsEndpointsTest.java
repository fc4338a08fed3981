package io.img2rec.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators of several replicas need: Prometheus metrics, liveness and readiness apart, an OpenAPI document. */
class OperationsEndpointsTest {
    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();
    private Recommender recommender;
    private ProfileStore store;
    private RecommendationServer server;

    private void start() throws Exception {
        var registry = ModelRegistry.of(List.of(ServeFixtures.fake("vgg16", "hat", 0.5, ServeFixtures::redness, 0)),
                List.of("hat"));
        recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
        store = ProfileStore.open(dir.resolve("profiles.db"));
        server = new RecommendationServer(recommender, store, ServerLimits.DEFAULTS,
                new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            recommender.close();
            store.close();
        }
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "image/png")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static byte[] png(Color color) throws Exception {
        var image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 40, 40);
        g.dispose();
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void metricsCountRequestsByRouteAndStatusInPrometheusTextFormat() throws Exception {
        start();
        assertEquals(200, send("POST", "/v1/recommend?name=red.png", png(Color.RED)).statusCode());
        assertEquals(200, send("POST", "/v1/recommend?name=blue.png", png(Color.BLUE)).statusCode());
        assertEquals(400, send("POST", "/v1/recommend", "not an image".getBytes()).statusCode());
        assertEquals(404, send("GET", "/v1/profiles/alice", null).statusCode());
        assertEquals(404, send("GET", "/no/such/route", null).statusCode());

        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        assertTrue(text.contains("img2rec_http_server_requests_seconds_count{method=\"POST\",route=\"/v1/recommend\","
                + "status=\"200\"} 2"), text);
        assertTrue(text.contains("img2rec_http_server_requests_seconds_count{method=\"POST\",route=\"/v1/recommend\","
                + "status=\"400\"} 1"), text);
        // a profile id is not a label value: the template is
        assertTrue(text.contains("route=\"/v1/profiles/{id}\",status=\"404\"} 1"), text);
        assertTrue(text.contains("route=\"other\",status=\"404\"} 1"), text);
        assertFalse(text.contains("alice"), "no path values in labels");
        assertTrue(text.contains("img2rec_http_server_requests_seconds_bucket{"), "latency histogram");
        assertTrue(text.contains("img2rec_inference_seconds_count 3"), "three images reached an inference slot");
        assertTrue(text.contains("img2rec_inference_queue "), text);
        assertTrue(text.contains("img2rec_models_loaded 1.0"), text);
        assertTrue(text.contains("img2rec_store_errors_total 0.0"), text);
    }

    @Test
    void livenessAndReadinessAreApartAndReadinessFollowsTheStore() throws Exception {
        start();
        assertEquals(200, send("GET", "/health/live", null).statusCode());
        HttpResponse<String> ready = send("GET", "/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("up", ResultJson.mapper().readTree(ready.body()).get("store").asText());

        store.close(); // the store goes away: not ready, but still alive
        HttpResponse<String> notReady = send("GET", "/health/ready", null);
        assertEquals(503, notReady.statusCode(), notReady.body());
        JsonNode body = ResultJson.mapper().readTree(notReady.body());
        assertEquals("down", body.get("store").asText());
        assertEquals("not ready", body.get("status").asText());
        assertTrue(notReady.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, send("GET", "/health/live", null).statusCode());
        assertTrue(send("GET", "/metrics", null).body().contains("img2rec_store_errors_total 1.0"));
        store = ProfileStore.open(dir.resolve("profiles.db")); // for @AfterEach
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesTheServerAnswers() throws Exception {
        start();
        HttpResponse<String> doc = send("GET", "/openapi.json", null);
        assertEquals(200, doc.statusCode());
        JsonNode paths = ResultJson.mapper().readTree(doc.body()).get("paths");
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
            String path = names.next();
            for (Iterator<String> methods = paths.get(path).fieldNames(); methods.hasNext(); ) {
                documented.add(methods.next().toUpperCase() + " " + path);
            }
        }
        Set<String> served = new TreeSet<>();
        RecommendationServer.ROUTES.forEach(r -> served.add(r.method() + " " + r.template()));
        assertEquals(served, documented);
        // and each documented route really exists: a request reaches its handler, not "no route", and another
        // method gets 405
        for (String route : documented) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "bob");
            HttpResponse<String> answer = send(method, path, method.equals("POST") ? png(Color.RED) : null);
            assertFalse(answer.body().contains("no route"), route + " answered " + answer.body());
            String other = method.equals("GET") ? "DELETE" : "GET";
            assertEquals(405, send(other, path, null).statusCode(), other + " " + path);
        }
    }
}
