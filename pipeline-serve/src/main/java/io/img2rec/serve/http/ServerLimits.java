package io.img2rec.serve.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodyBytes        larger request bodies get 413 (checked on Content-Length before reading, then while
 *                            reading)
 * @param maxConcurrentInferences requests analysing an image at the same time (decoding, finding faces, waiting for
 *                            their crops' batch); the networks themselves run on the Recommender's one batching
 *                            thread, so this bounds heap for decoded images, not ND4J's per-thread memory
 * @param queueWait           how long a request may wait for an analysis slot before a 503 + Retry-After
 * @param handlerThreads      threads serving requests
 * @param apiToken            when present, write endpoints need {@code Authorization: Bearer <token>}
 */
public record ServerLimits(long maxBodyBytes, int maxConcurrentInferences, Duration queueWait, int handlerThreads,
                           Optional<String> apiToken) {
    /**
     * 20 MiB bodies, 8 analyses at a time (so that concurrent requests' crops can share a batch), up to 30 s of
     * waiting for one, 16 handler threads.
     */
    public static final ServerLimits DEFAULTS = new ServerLimits(ServerLimits.DEFAULT_MAX_BODY_MB * 1024L * 1024,
            ServerLimits.DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(30), 16, Optional.empty());
    /** The defaults as compile-time constants, for the command line's defaults. */
    public static final int DEFAULT_MAX_BODY_MB = 20;
    public static final int DEFAULT_MAX_CONCURRENT = 8;

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
