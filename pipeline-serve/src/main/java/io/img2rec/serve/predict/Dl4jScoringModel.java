package io.img2rec.serve.predict;

import io.img2rec.core.image.RgbImage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A DL4J {@link ComputationGraph} behind {@link ScoringModel}. Crops are encoded with the card's {@code InputEncoder}
 * (the pre-processing shared with training) outside any lock; the forward pass runs under this model's lock because
 * {@code ComputationGraph.output} is not thread-safe (it keeps per-call state in the graph's layers). Different models
 * run in parallel; callers of one model queue. One copy per model keeps memory at one network each (a VGG16 is about
 * 60 MB of parameters plus its activations).
 */
public final class Dl4jScoringModel implements ScoringModel {
    private final ModelCard card;
    private final ComputationGraph graph;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    public Dl4jScoringModel(ModelCard card, ComputationGraph graph) {
        this.card = card;
        this.graph = graph;
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public double[][] score(List<RgbImage> crops) {
        if (crops.isEmpty()) {
            return new double[0][];
        }
        INDArray input = card.encoder().encode(crops);
        double[][] out;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + card.name() + " is closed");
            }
            INDArray result = graph.outputSingle(false, input);
            out = result.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        } finally {
            lock.unlock();
            input.close();
        }
        int labels = card.labels().size();
        for (double[] row : out) {
            if (row.length != labels) {
                throw new IllegalStateException("model " + card.name() + " gave " + row.length + " outputs for "
                        + labels + " labels " + card.labels());
            }
        }
        return out;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                graph.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
