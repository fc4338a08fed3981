package io.img2rec.serve.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodyBytes        larger request bodies get 413 (checked on Content-Length before reading, then while
 *                            reading)
 * @param maxConcurrentInferences requests analysing an image at the same time; one more gets 503 + Retry-After
 * @param queueWait           how long a request may wait for an inference slot before the 503
 * @param handlerThreads      threads serving requests
 * @param apiToken            when present, write endpoints need {@code Authorization: Bearer <token>}
 */
public record ServerLimits(long maxBodyBytes, int maxConcurrentInferences, Duration queueWait, int handlerThreads,
                           Optional<String> apiToken) {
    public static final ServerLimits DEFAULTS = new ServerLimits(20L * 1024 * 1024, 2, Duration.ofMillis(200), 8,
            Optional.empty());

    public ServerLimits {
        if (maxBodyBytes < 1 || maxConcurrentInferences < 1 || handlerThreads < 1 || queueWait.isNegative()) {
            throw new IllegalArgumentException("limits must be positive: maxBodyBytes=" + maxBodyBytes
                    + " maxConcurrentInferences=" + maxConcurrentInferences + " handlerThreads=" + handlerThreads
                    + " queueWait=" + queueWait);
        }
        apiToken = apiToken.filter(t -> !t.isBlank());
    }

    public ServerLimits withMaxConcurrentInferences(int n) {
        return new ServerLimits(maxBodyBytes, n, queueWait, handlerThreads, apiToken);
    }

    public ServerLimits withMaxBodyBytes(long n) {
        return new ServerLimits(n, maxConcurrentInferences, queueWait, handlerThreads, apiToken);
    }

    public ServerLimits withApiToken(String token) {
        return new ServerLimits(maxBodyBytes, maxConcurrentInferences, queueWait, handlerThreads,
                Optional.ofNullable(token));
    }

    public ServerLimits withQueueWait(Duration wait) {
        return new ServerLimits(maxBodyBytes, maxConcurrentInferences, wait, handlerThreads, apiToken);
    }
}
