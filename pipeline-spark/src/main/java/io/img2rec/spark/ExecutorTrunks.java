package io.img2rec.spark;

import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.train.CacheFill;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-JVM state of the cache fill, as {@link ExecutorRecommenders} is for scoring: each executor JVM builds a
 * config's trunk (network + starting weights, read from {@code model.weights} on a path the executor can read, or
 * the seeded random initialisation) once, on its first task. A network runs one forward pass at a time, so a task
 * that starts while the others hold theirs gets a copy of the loaded trunk (same weights, no reload); copies go back
 * to the pool when the task ends and serve later tasks. Closed by a shutdown hook.
 */
final class ExecutorTrunks {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTrunks.class);
    private static final ConcurrentHashMap<TrunkSpec, Pool> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorTrunks::closeAll, "img2rec-close-trunks"));
    }

    private ExecutorTrunks() {
    }

    /** A trunk lent to one task; closing it gives it back. */
    static final class Lease implements AutoCloseable {
        private final Pool pool;
        private final CacheFill fill;

        private Lease(Pool pool, CacheFill fill) {
            this.pool = pool;
            this.fill = fill;
        }

        CacheFill fill() {
            return fill;
        }

        @Override
        public void close() {
            pool.giveBack(fill);
        }
    }

    private static final class Pool {
        private final TrunkSpec spec;
        private final Deque<CacheFill> idle = new ArrayDeque<>();
        private final List<CacheFill> all = new ArrayList<>();
        private CacheFill loaded;

        Pool(TrunkSpec spec) {
            this.spec = spec;
        }

        synchronized CacheFill take() {
            if (!idle.isEmpty()) {
                return idle.pop();
            }
            CacheFill fill;
            if (loaded == null) {
                long start = System.nanoTime();
                try {
                    loaded = CacheFill.open(spec.config(), WeightsLocations.fromSystemProperties());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot build the frozen trunk on this executor: " + e.getMessage()
                            + " (model.weights must name a file every executor can read)", e);
                }
                LOADS.incrementAndGet();
                LOG.info("built the {} trunk in {} ms (once for this JVM)",
                        loaded.config().model().architecture().configName(), (System.nanoTime() - start) / 1_000_000);
                fill = loaded;
            } else {
                fill = loaded.copy();
            }
            all.add(fill);
            return fill;
        }

        synchronized void giveBack(CacheFill fill) {
            idle.push(fill);
        }

        synchronized void close() {
            for (CacheFill fill : all) {
                if (fill != loaded) {
                    fill.close();
                }
            }
            if (loaded != null) {
                loaded.close();
            }
            all.clear();
            idle.clear();
            loaded = null;
        }
    }

    /** Lends this JVM's trunk for {@code spec} (built on the first call). */
    static Lease borrow(TrunkSpec spec) {
        Pool pool = POOLS.computeIfAbsent(spec, Pool::new);
        return new Lease(pool, pool.take());
    }

    /** How many times this JVM has built a trunk (tests: once per spec). */
    static int loads() {
        return LOADS.get();
    }

    static void closeAll() {
        for (TrunkSpec spec : new ArrayList<>(POOLS.keySet())) {
            Pool pool = POOLS.remove(spec);
            if (pool != null) {
                try {
                    pool.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing a trunk failed", e);
                }
            }
        }
    }
}
