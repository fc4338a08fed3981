package io.img2rec.spark;

import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.registry.ModelLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one piece of per-JVM state in img2rec: each executor JVM loads the models of a {@link RecommenderSpec} once,
 * on the first task that needs them, and every later task of any job in that JVM reuses them (no reload per
 * partition or per task). A Spark executor runs several tasks at once in one JVM; the {@link Recommender} is
 * thread-safe, and each network serialises its own forward pass, so they share it.
 *
 * <p>The models stay loaded for the JVM's life and are closed by a shutdown hook (native memory is released when the
 * executor exits; Spark has no executor-shutdown callback for user code). Memory: one set of networks per distinct
 * spec, off the heap, bounded by {@code -Dorg.bytedeco.javacpp.maxbytes}/{@code maxphysicalbytes} (see
 * docs/SPARK.md).
 */
public final class ExecutorRecommenders {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRecommenders.class);
    private static final ConcurrentHashMap<RecommenderSpec, Recommender> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorRecommenders::closeAll, "img2rec-close-models"));
    }

    private ExecutorRecommenders() {
    }

    /**
     * This JVM's Recommender for {@code spec}, loading the models on the first call (concurrent first calls load
     * once; the others wait).
     *
     * @throws IllegalStateException when the models cannot be loaded (the message names the folder): a job-level
     *                               failure, not an image's
     */
    public static Recommender get(RecommenderSpec spec) {
        return LOADED.computeIfAbsent(spec, s -> {
            long start = System.nanoTime();
            try {
                Recommender loaded = s.load();
                LOADS.incrementAndGet();
                LOG.info("loaded models {} in {} ms (once for this JVM)", s.modelFolders(),
                        (System.nanoTime() - start) / 1_000_000);
                return loaded;
            } catch (ModelLoadException e) {
                throw new IllegalStateException("cannot load the models " + s.modelFolders() + " on this executor: "
                        + e.getMessage() + " (model folders must be readable from every executor)", e);
            }
        });
    }

    /** How many times this JVM has loaded models (tests: once per spec, not once per partition or task). */
    static int loads() {
        return LOADS.get();
    }

    /** Closes every loaded Recommender (the shutdown hook; tests call it after their Spark session). */
    static void closeAll() {
        List<RecommenderSpec> specs = new ArrayList<>(LOADED.keySet());
        for (RecommenderSpec spec : specs) {
            Recommender r = LOADED.remove(spec);
            if (r != null) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the models {} failed", spec.modelFolders(), e);
                }
            }
        }
    }
}
