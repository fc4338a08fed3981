package io.img2rec.core.model;

import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;

import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.bytedeco.dnnl.dnnl_stream;

/**
 * A training helper's natives: its oneDNN stream and its plans ({@link OneDnnPrimitives}) per input shape, the least
 * recently used dropped beyond a bound (a training batch, its short last batch, scoring's). Released when the helper
 * owning it becomes unreachable ({@link #releaseWith}); it must not refer to that helper. Not thread-safe.
 *
 * @param <P> the helper's plan type
 */
final class OneDnnPlans<P extends OneDnnPrimitives> implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

    final dnnl_stream stream = new dnnl_stream();
    private final LinkedHashMap<String, P> plans = new LinkedHashMap<>(8, 0.75f, true);
    private final int max;

    OneDnnPlans(int max) {
        this.max = max;
        OneDnnTrunk.check(dnnl_stream_create(stream, OneDnnTrunk.engine(), dnnl_stream_default_flags),
                "stream_create", "-");
    }

    /** Registers {@code owner}: when it is unreachable, the plans and the stream are released. */
    OneDnnPlans<P> releaseWith(Object owner) {
        CLEANER.register(owner, this);
        return this;
    }

    /** @return the plan for {@code key}, made by {@code make} if there is none */
    P get(String key, Supplier<P> make) {
        P plan = plans.get(key);
        if (plan == null) {
            plan = make.get();
            plans.put(key, plan);
            if (plans.size() > max) {
                Map.Entry<String, P> eldest = plans.entrySet().iterator().next();
                plans.remove(eldest.getKey());
                eldest.getValue().close();
            }
        }
        return plan;
    }

    /** @return bytes of the buffers the plans own */
    long bufferBytes() {
        long bytes = 0;
        for (P p : plans.values()) {
            bytes += p.bufferBytes;
        }
        return bytes;
    }

    @Override
    public void run() {
        plans.values().forEach(OneDnnPrimitives::close);
        plans.clear();
        dnnl_stream_destroy(stream);
    }
}
