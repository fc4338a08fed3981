package io.img2rec.core.nativeio;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many OpenMP threads libnd4j's operations called from <em>this</em> Java thread may use, for a scope. OpenMP
 * keeps the thread count per calling thread ({@code omp_set_num_threads} sets the calling thread's {@code nthreads}
 * ICV), so other threads of the process — a server scoring requests, another training — keep theirs.
 *
 * <p>Phase 1 trains a dense top on cached features with many operations on 16 × 256 arrays; with two OpenMP
 * threads each of them paid for waking and joining the second thread, which was also busy spinning for the
 * GEMMs and the Java update pass: one thread made the direct phase-1 epoch 1.4× faster on a 2-core Zen 4 with the
 * same results bit for bit (docs/performance.md, "Phase 1: one OpenMP thread"). Convolutions want every core:
 * scope it to the small work only.
 */
public final class OpenMpThreads implements AutoCloseable {
    private final NativeOps ops;
    private final int previous;
    private boolean closed;

    private OpenMpThreads(NativeOps ops, int previous) {
        this.ops = ops;
        this.previous = previous;
    }

    /**
     * Limits the calling thread's OpenMP threads to {@code threads} until {@link #close()}, which restores the count
     * it had. Open and close it on the same thread.
     */
    public static OpenMpThreads limitCallingThread(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Nd4j.getBackend(); // ND4J's native library loaded (NativeOpsHolder needs the backend's properties)
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int previous = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(threads);
        return new OpenMpThreads(ops, previous);
    }

    /** The calling thread's current limit ({@code omp_get_max_threads}). */
    static int ofCallingThread() {
        Nd4j.getBackend();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ops.setOmpNumThreads(previous);
        }
    }
}
