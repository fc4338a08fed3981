package io.img2rec.serve.predict;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.locks.Lock;

/**
 * A DL4J {@link ComputationGraph} behind {@link ScoringModel}, encoded and locked as {@link LockedGraphModel} says.
 * One copy per model keeps memory at one network each (a VGG16 is about 60 MB of parameters plus its activations).
 * Thread-safe: one lock for its one network, so callers of this model queue and callers of other models do not.
 */
public final class Dl4jScoringModel extends LockedGraphModel {
    private final ComputationGraph graph;
    private final Lock lock;

    public Dl4jScoringModel(ModelCard card, ComputationGraph graph) {
        super(card);
        this.graph = graph;
        this.lock = NEW_LOCKS.apply(card.name());
    }

    @Override
    double[][] forward(INDArray input, int crops) {
        INDArray output = run(lock, graph, input)[0];
        double[][] out = output.castTo(DataType.DOUBLE).toDoubleMatrix();
        int labels = card().labels().size();
        for (double[] row : out) {
            if (row.length != labels) {
                throw new IllegalStateException("model " + card().name() + " gave " + row.length + " outputs for "
                        + labels + " labels " + card().labels());
            }
        }
        return out;
    }

    @Override
    void closeNetworks() {
        graph.close();
    }
}
