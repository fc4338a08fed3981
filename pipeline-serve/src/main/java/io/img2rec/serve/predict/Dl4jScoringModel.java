package io.img2rec.serve.predict;

import io.img2rec.core.model.ForwardEngine;
import io.img2rec.core.model.ForwardLayout;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.InferenceTrunk;
import io.img2rec.core.model.TrunkHeadSplit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.locks.Lock;

/**
 * A DL4J {@link ComputationGraph} behind {@link ScoringModel}, encoded and locked as {@link LockedGraphModel} says.
 * One copy per model keeps memory at one network each (a VGG16 is about 60 MB of parameters plus its activations).
 * Thread-safe: one lock for its one network, so callers of this model queue and callers of other models do not.
 *
 * <p>Where the host's fastest layout ({@link ForwardLayout#host()}) differs from the one the model trained in, the
 * convolutional base runs as an {@link InferenceTrunk} in that layout and the top (from the flatten or global
 * pooling on) as the model trained it; the scores equal the whole graph's to float tolerance.
 */
public final class Dl4jScoringModel extends LockedGraphModel {
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jScoringModel.class);

    private final ComputationGraph graph; // the whole model, or its top when base != null
    private final InferenceTrunk base;
    private final Lock lock;

    /** @param graph the model; this object owns (and closes) it */
    public Dl4jScoringModel(ModelCard card, ComputationGraph graph) {
        this(card, Networks.of(graph, ForwardLayout.host(), ForwardEngine.host(ForwardEngine.Use.SERVING)));
    }

    /** As {@link #Dl4jScoringModel(ModelCard, ComputationGraph)}, forward passes on DL4J in {@code layout}. */
    Dl4jScoringModel(ModelCard card, ComputationGraph graph, ForwardLayout layout) {
        this(card, Networks.of(graph, layout, ForwardEngine.dl4j("asked for")));
    }

    private Dl4jScoringModel(ModelCard card, Networks networks) {
        super(card);
        this.graph = networks.graph();
        this.base = networks.base();
        this.lock = NEW_LOCKS.apply(card.name());
        if (base != null) {
            LOG.info("{}: convolutional base runs {}", card.name(), base.describe());
        }
    }

    /** The networks a model runs: the whole graph ({@code base} null), or a base in another layout and the top. */
    private record Networks(ComputationGraph graph, InferenceTrunk base) {
        /** Takes ownership of {@code graph}: it is returned, or closed once split. */
        static Networks of(ComputationGraph graph, ForwardLayout layout, ForwardEngine engine) {
            if (graph.getConfiguration().getNetworkInputs().size() != 1) {
                return new Networks(graph, null);
            }
            FreezePlan plan;
            try {
                plan = GraphTopology.of(graph.getConfiguration()).lastLayersTrainable(1); // the top alone above
            } catch (IllegalArgumentException e) {
                return new Networks(graph, null); // no top found (not a CNN with a head): run as is
            }
            TrunkHeadSplit split;
            try {
                split = TrunkHeadSplit.of(graph, plan);
            } catch (RuntimeException e) { // a graph from elsewhere that does not split cleanly: run it whole
                LOG.debug("cannot split {} at its top ({}); it runs as one graph", graph.getConfiguration()
                        .getNetworkOutputs(), e.toString());
                return new Networks(graph, null);
            }
            InferenceTrunk base = InferenceTrunk.owning(split.trunk(), layout, engine);
            if (!base.runsTwin() && !base.runsOneDnn()) { // same layout on DL4J: the whole graph is one network fewer
                base.close();
                split.head().close();
                return new Networks(graph, null);
            }
            graph.close();
            return new Networks(split.head(), base);
        }
    }

    @Override
    double[][] forward(INDArray input, int crops) {
        INDArray output;
        if (base == null) {
            output = run(lock, graph, input)[0];
        } else {
            lock.lock();
            try {
                INDArray[] boundary = base.output(input);
                output = graph.output(false, boundary)[0];
                for (INDArray b : boundary) {
                    b.close();
                }
            } finally {
                lock.unlock();
            }
        }
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
        if (base != null) {
            base.close();
        }
    }
}
