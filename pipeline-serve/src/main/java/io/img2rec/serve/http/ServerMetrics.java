package io.img2rec.serve.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The server's metrics, exposed at {@code GET /metrics} in Prometheus's text format through Micrometer (no hand-kept
 * counters): requests by route template, method and status with a latency histogram
 * ({@code img2rec_http_server_requests_seconds_*}), inference queue depth and slots in use, inference time, models
 * loaded, profile-store errors, plus the JVM's own figures are left to the operator's agent. One registry per server
 * instance (no global registry), so two servers in one JVM do not mix their numbers.
 */
final class ServerMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer inference;
    private final Counter storeErrors;

    ServerMetrics(Supplier<Number> queueDepth, Supplier<Number> slotsInUse, Supplier<Number> modelsLoaded) {
        Gauge.builder("img2rec.inference.queue", queueDepth).description("requests waiting for an inference slot")
                .register(registry);
        Gauge.builder("img2rec.inference.active", slotsInUse).description("inference slots in use").register(registry);
        Gauge.builder("img2rec.models.loaded", modelsLoaded).description("scoring models served").register(registry);
        inference = Timer.builder("img2rec.inference").description("time to analyse one image (decode, faces, models)")
                .publishPercentileHistogram().register(registry);
        storeErrors = Counter.builder("img2rec.store.errors").description("profile-store operations that failed")
                .register(registry);
    }

    /** One answered request: {@code route} is the route's template (e.g. {@code /v1/profiles/{id}}), never the path. */
    void request(String route, String method, int status, Duration time) {
        Timer.builder("img2rec.http.server.requests").description("HTTP requests answered")
                .tag("route", route).tag("method", method).tag("status", Integer.toString(status))
                .publishPercentileHistogram().register(registry).record(time);
    }

    void inference(Duration time) {
        inference.record(time);
    }

    void storeError() {
        storeErrors.increment();
    }

    /** The Prometheus text exposition (format 0.0.4). */
    String scrape() {
        return registry.scrape();
    }
}
