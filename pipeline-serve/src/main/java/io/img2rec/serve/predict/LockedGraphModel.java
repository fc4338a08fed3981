package io.img2rec.serve.predict;

import io.img2rec.core.image.RgbImage;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the DL4J-backed models share: crops are encoded with the card's {@code InputEncoder} (the pre-processing
 * shared with training) outside any lock; the forward pass runs under this model's lock because
 * {@code ComputationGraph.output} is not thread-safe (it keeps per-call state in the graph's layers); a closed model
 * refuses to score. Different models run in parallel; callers of one model queue.
 */
abstract sealed class LockedGraphModel implements ScoringModel permits Dl4jScoringModel, SharedTrunkModel {
    private final ModelCard card;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

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
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + card.name() + " is closed");
            }
            return forward(input, crops.size());
        } finally {
            lock.unlock();
            input.close();
        }
    }

    /**
     * Runs the networks on {@code crops} encoded crops, under the lock.
     *
     * @return one row per crop, one score per label of the card
     * @throws IllegalStateException if the networks give another number of outputs than the card has labels
     */
    abstract double[][] forward(INDArray input, int crops);

    /** Closes the networks; called once, under the lock. */
    abstract void closeNetworks();

    @Override
    public final void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                closeNetworks();
            }
        } finally {
            lock.unlock();
        }
    }
}
