package io.img2rec.spark;

import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.store.ProfileStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each executor JVM's open profile stores, one per {@link StoreTarget}: opened on the first write task that needs it
 * (for PostgreSQL a connection pool of {@link StoreTarget#pool()} connections that the JVM's concurrent tasks share),
 * kept for later tasks and jobs, closed by a shutdown hook, as {@link ExecutorRecommenders} keeps the models.
 */
final class ExecutorProfileStores {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorProfileStores.class);
    private static final ConcurrentHashMap<StoreTarget, ProfileStore> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorProfileStores::closeAll, "img2rec-close-stores"));
    }

    private ExecutorProfileStores() {
    }

    /**
     * This JVM's store for {@code target}, opened on the first call.
     *
     * @throws IllegalStateException when it cannot be opened from this executor (the message names the store)
     */
    static ProfileStore get(StoreTarget target) {
        return OPEN.computeIfAbsent(target, t -> {
            try {
                ProfileStore store = t.open();
                LOG.info("opened profile store {} at schema version {} (once for this JVM)", store.location(),
                        store.schemaVersion());
                return store;
            } catch (ProfileStoreException e) {
                throw new IllegalStateException("cannot open profile store " + t.shown() + " on this executor: "
                        + e.getMessage() + " (the driver could: check the executors' network, and their "
                        + "$PGPASSWORD when the URL carries no password)", e);
            }
        });
    }

    /** Closes every open store (the shutdown hook; tests call it after their Spark session). */
    static void closeAll() {
        for (StoreTarget target : new ArrayList<>(List.copyOf(OPEN.keySet()))) {
            ProfileStore store = OPEN.remove(target);
            if (store != null) {
                try {
                    store.close();
                } catch (ProfileStoreException | RuntimeException e) {
                    LOG.warn("closing profile store {} failed", target.shown(), e);
                }
            }
        }
    }
}
