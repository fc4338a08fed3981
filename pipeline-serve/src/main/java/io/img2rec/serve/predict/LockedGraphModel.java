package io.img2rec.serve.predict;

import io.img2rec.core.image.RgbImage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * What the DL4J-backed models share: crops are encoded with the card's {@code InputEncoder} (the pre-processing
 * shared with training) outside any lock; each network ({@link ComputationGraph}) runs under a lock of its own
 * ({@link #run}), because {@code ComputationGraph.output} is not thread-safe (it keeps per-call state in the graph's
 * layers). So different models, and the different networks of one model (a shared trunk and its heads), run in
 * parallel; callers of one network queue. A closed model refuses to score; {@link #close()} waits for forward passes
 * in progress.
 */
abstract sealed class LockedGraphModel implements ScoringModel permits Dl4jScoringModel, SharedTrunkModel {
    /** Where the per-network locks come from: one per network, by name. Tests pass locks that report contention. */
    static final Function<String, Lock> NEW_LOCKS = name -> new java.util.concurrent.locks.ReentrantLock();

    private final ModelCard card;
    /** Forward passes hold the read lock, {@link #close()} the write lock. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    LockedGraphModel(ModelCard card) {
        this.card = card;
    }

    @Override
    public final ModelCard card() {
        return card;
    }

    @Override
    public final double[][] score(List<RgbImage> crops) {
        if (crops.isEmpty()) {
            return new double[0][];
        }
        INDArray input = card.encoder().encode(crops);
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + card.name() + " is closed");
            }
            return forward(input, crops.size());
        } finally {
            lifecycle.readLock().unlock();
            input.close();
        }
    }

    /**
     * Runs the networks on {@code crops} encoded crops, each network through {@link #run}.
     *
     * @return one row per crop, one score per label of the card
     * @throws IllegalStateException if the networks give another number of outputs than the card has labels
     */
    abstract double[][] forward(INDArray input, int crops);

    /** {@code graph.output(false, inputs)} under {@code lock}: the outputs are detached, usable after the lock. */
    static INDArray[] run(Lock lock, ComputationGraph graph, INDArray... inputs) {
        lock.lock();
        try {
            return graph.output(false, inputs);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the networks; called once, when no forward pass is running. */
    abstract void closeNetworks();

    @Override
    public final void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeNetworks();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
