package io.img2rec.serve.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodyBytes        larger request bodies get 413 (checked on Content-Length before reading, then while
 *                            reading)
 * @param maxConcurrentInferences requests analysing an image at the same time, each on one of the server's
 *                            analysis threads (decoding, finding faces); with the Recommender's cross-request
 *                            batching on (its default) the networks run on its one thread, so these slots also bound
 *                            the batch; with batching off they run on the analysis threads, and ND4J's per-thread
 *                            working memory is held once per slot (then use about one slot per core)
 * @param queueWait           how long a request may wait for an analysis slot before a 503 + Retry-After
 * @param handlerThreads      threads serving requests
 * @param apiToken            when present, write endpoints need {@code Authorization: Bearer <token>}
 */
public record ServerLimits(long maxBodyBytes, int maxConcurrentInferences, Duration queueWait, int handlerThreads,
                           Optional<String> apiToken) {
    /**
     * 20 MiB bodies, 4 analyses at a time (their crops batched by the Recommender: batches of up to 4 gave 1.35–1.45×
     * the throughput of 2 unbatched slots with a few tens of MB of memory, 8 slots +121–245 MB; measured 2026-12-04,
     * docs/RELIABILITY.md), up to 30 s of waiting for a slot (a request queues instead of getting 503 at once: 0 of
     * 192 got 503 from 16 clients on real VGG16 and ResNet50 models), 16 handler threads.
     */
    public static final ServerLimits DEFAULTS = new ServerLimits(ServerLimits.DEFAULT_MAX_BODY_MB * 1024L * 1024,
            ServerLimits.DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(30), 16, Optional.empty());
    /** The defaults as compile-time constants, for the command line's defaults. */
    public static final int DEFAULT_MAX_BODY_MB = 20;
    public static final int DEFAULT_MAX_CONCURRENT = 4;

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
