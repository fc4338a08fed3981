package io.img2rec.serve.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.rules.ImageErrorCode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.store.ProfileStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP JSON API.
 *
 * <pre>
 * GET  /health                          → {"status":"ok", labels, architectures, missing}
 * GET  /health/live                     → 200 while the process serves (liveness)
 * GET  /health/ready                    → 200 when models are loaded and the profile store answers, else 503
 * GET  /metrics                         → Prometheus text format ({@link ServerMetrics})
 * GET  /openapi.json                    → the OpenAPI 3 description of these routes
 * POST /v1/recommend[?name=photo.jpg]   body: image bytes → ImageResult (faces, boxes, scores, recommendation)
 * POST /v1/profiles/{id}/images[?name=] body: image bytes → {added, image, profile}   (token when configured)
 * GET  /v1/profiles/{id}                → ProfileState, 404 when unknown
 * </pre>
 *
 * Requests carry image bytes, never a server-side path; a profile id is checked against
 * {@link ProfileStore#PROFILE_ID}. Errors are JSON {@code {"error": "..."}}; an image that was refused or failed adds
 * its {@code "errorCode"} ({@link ImageErrorCode#code()}, as in the {@code ImageResult} JSON), from which alone
 * {@link ImageErrorStatus} picks the status:
 * 400 not an image / corrupt / bad id, 401 missing or wrong token, 404 unknown route or profile, 405 wrong method,
 * 413 body or pixel count over the limit, 415 a content type that is not an image (or an image format that cannot be
 * decoded), 422 an image too small to use, 503 + {@code Retry-After} when every inference slot stays busy for
 * {@link ServerLimits#queueWait()}. A server fault (a model that throws, an {@code OutOfMemoryError}, a store
 * failure) is 500, never 4xx: its body carries an {@code "errorId"}, and an ERROR log line with the stack trace
 * carries the same id; the server keeps serving. Request and response times are bounded by the JDK server's system
 * properties ({@link HttpTimeouts}), which the entry point sets.
 *
 * <p>Images are analysed on a pool of {@link ServerLimits#maxConcurrentInferences()} threads of the server's own
 * (decoding, finding faces), not on the handler threads; a request waits up to {@link ServerLimits#queueWait()} for
 * one of them before a 503. The networks run on those threads (or, with the Recommender's cross-request batching
 * on, on its one batching thread): ND4J keeps a network's working memory (workspaces, off the heap) per thread and
 * never gives it back while the thread lives, so the networks must run on a small fixed set of threads (measured:
 * +469 MB resident when 16 handler threads ran them).
 */
public final class RecommendationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendationServer.class);

    private final Recommender recommender;
    private final ProfileStore store;
    private final ServerLimits limits;
    private final Semaphore inferenceSlots;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ExecutorService inferenceThreads;
    private final AtomicInteger threadCount = new AtomicInteger();
    private final ServerMetrics metrics;

    /** Starts serving on {@code address} (port 0 picks a free port). The store may be null: profile routes then 404. */
    public RecommendationServer(Recommender recommender, ProfileStore store, ServerLimits limits,
                                InetSocketAddress address) throws IOException {
        this.recommender = recommender;
        this.store = store;
        this.limits = limits;
        this.inferenceSlots = new Semaphore(limits.maxConcurrentInferences(), true);
        this.executor = Executors.newFixedThreadPool(limits.handlerThreads(), daemonThreads("img2rec-http-"));
        this.inferenceThreads = Executors.newFixedThreadPool(limits.maxConcurrentInferences(),
                daemonThreads("img2rec-inference-"));
        this.metrics = new ServerMetrics(inferenceSlots::getQueueLength,
                () -> limits.maxConcurrentInferences() - inferenceSlots.availablePermits(),
                () -> {
                    try {
                        return recommender.registry().models().size();
                    } catch (IllegalStateException closed) {
                        return 0;
                    }
                });
        if (recommender.options().batchWindow().isZero()
                && limits.maxConcurrentInferences() > Runtime.getRuntime().availableProcessors()) {
            LOG.warn("cross-request batching is off, so the networks run on all {} analysis threads and each keeps "
                    + "its own ND4J working memory; use about one slot per core ({}) or turn batching on",
                    limits.maxConcurrentInferences(), Runtime.getRuntime().availableProcessors());
        }
        this.server = HttpServer.create(address, 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("serving on http://{}:{}/ (max body {} bytes, {} concurrent inferences, token {}, request/response "
                        + "time limits {} s / {} s, 0 = none)", address.getHostString(), port(), limits.maxBodyBytes(),
                limits.maxConcurrentInferences(), limits.apiToken().isPresent() ? "required for writes" : "off",
                HttpTimeouts.request().toSeconds(), HttpTimeouts.response().toSeconds());
    }

    private ThreadFactory daemonThreads(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A route: method and path template. The OpenAPI description lists exactly these (a test checks it). */
    record Route(String method, String template) {
        boolean matches(String path) {
            String[] want = template.split("/", -1);
            String[] have = path.split("/", -1);
            if (want.length != have.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                if (!(want[i].startsWith("{") && !have[i].isEmpty()) && !want[i].equals(have[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    static final java.util.List<Route> ROUTES = java.util.List.of(
            new Route("GET", "/health"), new Route("GET", "/health/live"), new Route("GET", "/health/ready"),
            new Route("GET", "/metrics"), new Route("GET", "/openapi.json"), new Route("POST", "/v1/recommend"),
            new Route("POST", "/v1/profiles/{id}/images"), new Route("GET", "/v1/profiles/{id}"));

    /** The template a path is counted under in the metrics (bounded: unknown paths are {@code other}). */
    private static String routeOf(String path) {
        for (Route route : ROUTES) {
            if (route.matches(path)) {
                return route.template();
            }
        }
        return "other";
    }

    /** An error with its HTTP status, and for an image its code (null otherwise). */
    private static final class HttpError extends Exception {
        final int status;
        final Map<String, String> headers;
        final ImageErrorCode code;
        final String errorId;

        HttpError(int status, String message) {
            this(status, message, Map.of());
        }

        HttpError(int status, String message, Map<String, String> headers) {
            this(status, message, headers, null, null);
        }

        HttpError(int status, String message, Map<String, String> headers, ImageErrorCode code, String errorId) {
            super(message);
            this.status = status;
            this.headers = headers;
            this.code = code;
            this.errorId = errorId;
        }

        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", getMessage());
            if (code != null) {
                body.put("errorCode", code.code());
            }
            if (errorId != null) {
                body.put("errorId", errorId);
            }
            return body;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        try (exchange) {
            try {
                route(exchange);
            } catch (HttpError e) {
                e.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                send(exchange, e.status, e.body());
            } catch (RuntimeException | OutOfMemoryError | ProfileStoreException e) {
                // OutOfMemoryError too: the failed allocation is gone, the server answers and goes on serving
                if (e instanceof ProfileStoreException) {
                    metrics.storeError();
                }
                String errorId = UUID.randomUUID().toString();
                LOG.error("{} {} failed [error id {}]", exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), errorId, e);
                send(exchange, 500, new HttpError(500, "internal error: " + e.getClass().getSimpleName()
                        + " (error id " + errorId + "; the server log has the details)", Map.of(), null, errorId)
                        .body());
            } finally {
                metrics.request(routeOf(exchange.getRequestURI().getPath()),
                        exchange.getRequestMethod().toUpperCase(Locale.ROOT), exchange.getResponseCode(),
                        java.time.Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    private void route(HttpExchange exchange) throws HttpError, IOException, ProfileStoreException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/health")) {
            requireMethod(method, "GET");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("labels", recommender.labels());
            body.put("architectures", recommender.registry().architectures());
            body.put("missing", recommender.registry().missing());
            body.put("inferenceSlotsFree", inferenceSlots.availablePermits());
            send(exchange, 200, body);
            return;
        }
        if (path.equals("/health/live")) {
            requireMethod(method, "GET");
            send(exchange, 200, Map.of("status", "live"));
            return;
        }
        if (path.equals("/health/ready")) {
            requireMethod(method, "GET");
            Map<String, Object> body = readiness();
            boolean ready = "ready".equals(body.get("status"));
            if (!ready) {
                exchange.getResponseHeaders().set("Retry-After", "5");
            }
            send(exchange, ready ? 200 : 503, body);
            return;
        }
        if (path.equals("/metrics")) {
            requireMethod(method, "GET");
            sendText(exchange, 200, ServerMetrics.CONTENT_TYPE, metrics.scrape());
            return;
        }
        if (path.equals("/openapi.json")) {
            requireMethod(method, "GET");
            sendText(exchange, 200, "application/json; charset=utf-8", OpenApiDocument.TEXT);
            return;
        }
        if (path.equals("/v1/recommend")) {
            requireMethod(method, "POST");
            ImageResult result = analyse(exchange);
            send(exchange, 200, result);
            return;
        }
        if (path.startsWith("/v1/profiles/")) {
            String[] parts = path.substring("/v1/profiles/".length()).split("/", -1);
            if (store == null) {
                throw new HttpError(404, "this server runs without a profile store");
            }
            String profile = parts[0];
            if (!ProfileStore.PROFILE_ID.matcher(profile).matches()) {
                throw new HttpError(400, "profile id '" + profile + "' is not allowed: use 1-64 letters, digits, '.', "
                        + "'_' or '-', not starting with '.'");
            }
            if (parts.length == 1) {
                requireMethod(method, "GET");
                var state = store.state(profile);
                if (state.isEmpty()) {
                    throw new HttpError(404, "profile " + profile + " has no images yet");
                }
                send(exchange, 200, state.get());
                return;
            }
            if (parts.length == 2 && parts[1].equals("images")) {
                requireMethod(method, "POST");
                requireToken(exchange);
                ImageResult result = analyse(exchange);
                var update = store.add(profile, result);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("added", update.added());
                body.put("image", result);
                body.put("profile", update.state());
                send(exchange, update.added() ? 201 : 200, body);
                return;
            }
        }
        throw new HttpError(404, "no route " + method + " " + path
                + "; routes: " + String.join(", ", ROUTES.stream().map(r -> r.method() + " " + r.template()).toList()));
    }

    private static void requireMethod(String method, String allowed) throws HttpError {
        if (!method.equals(allowed)) {
            throw new HttpError(405, "method " + method + " not allowed here; use " + allowed, Map.of("Allow", allowed));
        }
    }

    private void requireToken(HttpExchange exchange) throws HttpError {
        if (limits.apiToken().isEmpty()) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Bearer " + limits.apiToken().get();
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "this endpoint needs 'Authorization: Bearer <token>'",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    /** Reads the image body within the limits, waits for an inference slot, analyses. */
    private ImageResult analyse(HttpExchange exchange) throws HttpError, IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            String base = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!base.startsWith("image/") && !base.equals("application/octet-stream")) {
                throw new HttpError(415, "Content-Type " + base + " is not an image; send the image bytes as image/* "
                        + "or application/octet-stream");
            }
        }
        byte[] body = readBody(exchange);
        String name = queryParameter(exchange.getRequestURI(), "name");
        if (name == null || name.isBlank() || name.length() > 200) {
            name = "upload";
        }
        try {
            if (!inferenceSlots.tryAcquire(limits.queueWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HttpError(503, "all " + limits.maxConcurrentInferences() + " inference slots are busy; "
                        + "retry shortly", Map.of("Retry-After", "1"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for an inference slot", Map.of("Retry-After", "1"));
        }
        ImageResult result;
        try {
            String imageName = name;
            // never queues: a task is submitted only with a slot, and there are as many threads as slots
            long start = System.nanoTime();
            result = inferenceThreads.submit(() -> recommender.recommendImage(body, imageName)).get();
            metrics.inference(java.time.Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while analysing the image", Map.of("Retry-After", "1"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("analysing " + name + " failed", e.getCause());
        } finally {
            inferenceSlots.release();
        }
        if (result.status() == ImageStatus.ERROR) {
            throw imageError(exchange, result);
        }
        return result;
    }

    /** The answer to an image that was refused or failed: the status from its code, never from its text or name. */
    private static HttpError imageError(HttpExchange exchange, ImageResult result) {
        ImageErrorCode code = result.errorCode();
        int status = ImageErrorStatus.of(code);
        if (status < 500) {
            return new HttpError(status, result.error(), Map.of(), code, null);
        }
        // the Recommender logged the stack trace under result.errorId(); other codes get an id here
        String errorId = result.errorId() != null ? result.errorId() : UUID.randomUUID().toString();
        LOG.error("{} {} answered {} for image {}: {} [error id {}]", exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(), status, result.name(), result.error(), errorId);
        return new HttpError(status, result.name() + ": the server failed to analyse this image (error id " + errorId
                + "; the server log has the details)", Map.of(), code, errorId);
    }

    private byte[] readBody(HttpExchange exchange) throws HttpError, IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limits.maxBodyBytes()) {
                    throw new HttpError(413, "body of " + length.trim() + " bytes exceeds the limit of "
                            + limits.maxBodyBytes() + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length '" + length + "'");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > limits.maxBodyBytes()) {
                    throw new HttpError(413, "body exceeds the limit of " + limits.maxBodyBytes() + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        if (out.size() == 0) {
            throw new HttpError(400, "empty body: send the image bytes");
        }
        return out.toByteArray();
    }

    private static String queryParameter(URI uri, String key) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * Ready: models loaded and the Recommender open, and the profile store (when there is one) answers a round trip
     * ({@link ProfileStore#check()}). Why the store does not answer goes to the log, not to the caller.
     */
    private Map<String, Object> readiness() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean models;
        try {
            models = !recommender.registry().models().isEmpty();
        } catch (IllegalStateException closed) {
            models = false;
        }
        boolean storeUp = true;
        if (store != null) {
            try {
                store.check();
            } catch (ProfileStoreException | RuntimeException e) {
                metrics.storeError();
                storeUp = false;
                LOG.warn("not ready: the profile store does not answer: {}", e.getMessage());
            }
        }
        body.put("status", models && storeUp ? "ready" : "not ready");
        body.put("models", models);
        body.put("store", store == null ? "none" : storeUp ? "up" : "down");
        return body;
    }

    /** The OpenAPI 3 description shipped with the server, read once. */
    private static final class OpenApiDocument {
        static final String TEXT;

        static {
            try {
                TEXT = openApi();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The OpenAPI 3 description shipped with the server ({@code openapi.json} beside this class). */
    static String openApi() throws IOException {
        try (InputStream in = RecommendationServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the img2rec serve jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void sendText(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = ResultJson.compact(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        inferenceThreads.shutdownNow();
    }
}
