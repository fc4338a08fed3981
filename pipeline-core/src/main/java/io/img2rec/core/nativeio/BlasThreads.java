package io.img2rec.core.nativeio;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads OpenBLAS's own thread pool may use, for a scope. Unlike OpenMP's count ({@link OpenMpThreads})
 * this is one setting for the whole process ({@code openblas_set_num_threads}): scopes are counted, the first one
 * opened sets the limit and the last one closed restores the count there was before, whichever threads open them.
 * It changes speed and the last bits of some products: OpenBLAS's kernels take the columns of a thread's share in
 * blocks, so where the shares end moves which columns get the edge kernels, which sum in another order (the main
 * job's phase-1 losses moved in the 7th digit). Within a scope products no longer depend on how many cores a host
 * has.
 *
 * <p>Why: the BLAS build ND4J M2.1 brings runs its own pthreads pool, whose workers spin ({@code sched_yield}) after
 * each product while libnd4j's and oneDNN's OpenMP threads want the same cores. In a ResNet50 phase-2 step (one
 * 1 × 1 convolution, a batch norm and a dense top, batch 16) on a 2-core Zen 4 that contention made every
 * other operation slower and the step erratic: one BLAS thread took ND4J's operations from 27 to 12 ms per step and
 * halved the process's system time (docs/performance.md, "ResNet50's phase-2 step").
 */
public final class BlasThreads implements AutoCloseable {
    private static final Object LOCK = new Object();
    private static int open;
    private static int before;

    private boolean closed;

    private BlasThreads() {
    }

    /**
     * Limits OpenBLAS to {@code threads} threads until every scope opened is closed.
     *
     * @param threads at least 1; the first scope's value holds while any is open
     */
    public static BlasThreads limitProcess(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        synchronized (LOCK) {
            if (open == 0) {
                before = Nd4j.factory().blas().getMaxThreads();
                Nd4j.factory().blas().setMaxThreads(threads);
            }
            open++;
            return new BlasThreads();
        }
    }

    /** @return OpenBLAS's current thread count */
    public static int current() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            open--;
            if (open == 0) {
                Nd4j.factory().blas().setMaxThreads(before);
            }
        }
    }
}
