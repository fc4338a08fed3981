package io.img2rec.serve.predict;

import io.img2rec.core.model.ForwardEngine;
import io.img2rec.core.model.ForwardLayout;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.InferenceTrunk;
import io.img2rec.core.model.TrunkHeadSplit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several models of one architecture whose frozen layers are identical (the per-label models of one training run
 * start from the same weights and never train their trunk), run as one trunk and one head per model: each crop goes
 * through the shared layers once instead of once per model. The outputs are those of the separate models (inference
 * mode throughout: batch norm uses its running statistics, dropout is off).
 *
 * <p>Shared vertices are found at load time, in topological order: a vertex is shared when it has the same inputs in
 * every model, those inputs are shared (or the network input), its configuration is equal, and its parameters are
 * exactly equal. The boundary is the shared vertices feeding a vertex that is not shared. The card covers the labels
 * of all models, in model order.
 *
 * <p>Thread-safe, with one lock for the trunk and one per head ({@link LockedGraphModel#run}), not one for all: while
 * one caller runs a head, the next runs the trunk, and callers pipeline through the networks instead of queueing for
 * the whole model. The trunk's activations are detached from its workspace, so a head reads them without the trunk's
 * lock.
 *
 * <p>The trunk runs in the host's fastest layout ({@link InferenceTrunk}: on an AVX-512 host with oneDNN, an NHWC
 * twin of the NCHW-trained trunk); its activations come back in the layout the heads trained in.
 */
public final class SharedTrunkModel extends LockedGraphModel {
    private static final Logger LOG = LoggerFactory.getLogger(SharedTrunkModel.class);
    private final InferenceTrunk trunk;
    private final List<ComputationGraph> heads;
    private final List<String> sharedVertices;
    private final Lock trunkLock;
    private final List<Lock> headLocks;

    private SharedTrunkModel(ModelCard card, InferenceTrunk trunk, List<ComputationGraph> heads,
                             List<String> sharedVertices, List<String> headNames, Function<String, Lock> locks) {
        super(card);
        this.trunk = trunk;
        this.heads = heads;
        this.sharedVertices = sharedVertices;
        this.trunkLock = locks.apply("trunk");
        this.headLocks = headNames.stream().map(name -> locks.apply("head " + name)).toList();
    }

    /**
     * Combines models (same architecture and encoder) that share a trunk, or returns empty when they share nothing
     * usable (the caller then serves them separately). The given graphs are not modified; on success the caller may
     * close them.
     */
    public static Optional<SharedTrunkModel> combine(List<ModelCard> cards, List<ComputationGraph> graphs) {
        return combine(cards, graphs, NEW_LOCKS, ForwardLayout.host(), ForwardEngine.host(ForwardEngine.Use.SERVING));
    }

    /**
     * As {@link #combine(List, List)}, with the network locks from {@code locks}: {@code "trunk"} and
     * {@code "head <model name>"} (tests pass locks that report who holds them).
     */
    static Optional<SharedTrunkModel> combine(List<ModelCard> cards, List<ComputationGraph> graphs,
                                              Function<String, Lock> locks) {
        return combine(cards, graphs, locks, ForwardLayout.host(), ForwardEngine.host(ForwardEngine.Use.SERVING));
    }

    /** As {@link #combine(List, List, Function)}, the trunk's forward passes on DL4J in {@code layout}. */
    static Optional<SharedTrunkModel> combine(List<ModelCard> cards, List<ComputationGraph> graphs,
                                              Function<String, Lock> locks, ForwardLayout layout) {
        return combine(cards, graphs, locks, layout, ForwardEngine.dl4j("asked for"));
    }

    /** As {@link #combine(List, List, Function)}, the trunk run by {@code engine} or in {@code layout}. */
    static Optional<SharedTrunkModel> combine(List<ModelCard> cards, List<ComputationGraph> graphs,
                                              Function<String, Lock> locks, ForwardLayout layout,
                                              ForwardEngine engine) {
        if (cards.size() < 2 || cards.size() != graphs.size()) {
            return Optional.empty();
        }
        for (ModelCard c : cards) {
            if (!c.encoder().equals(cards.get(0).encoder()) || !c.architecture().equals(cards.get(0).architecture())) {
                return Optional.empty();
            }
        }
        ComputationGraphConfiguration first = graphs.get(0).getConfiguration();
        if (first.getNetworkInputs().size() != 1 || first.getNetworkOutputs().size() != 1) {
            return Optional.empty();
        }
        for (ComputationGraph g : graphs) {
            if (!g.getConfiguration().getNetworkInputs().equals(first.getNetworkInputs())) {
                return Optional.empty();
            }
        }
        Set<String> shared = new HashSet<>(first.getNetworkInputs());
        List<String> sharedOrder = new ArrayList<>();
        for (String vertex : first.getTopologicalOrderStr()) {
            if (first.getNetworkInputs().contains(vertex)) {
                continue;
            }
            if (isShared(vertex, graphs, shared)) {
                shared.add(vertex);
                sharedOrder.add(vertex);
            }
        }
        if (sharedOrder.isEmpty()) {
            return Optional.empty();
        }
        List<SplitPlan> plans = new ArrayList<>();
        for (ComputationGraph g : graphs) {
            Optional<SplitPlan> plan = plan(g, shared, sharedOrder);
            if (plan.isEmpty()) {
                return Optional.empty();
            }
            plans.add(plan.get());
        }
        if (plans.stream().anyMatch(p -> !p.plan.boundary().equals(plans.get(0).plan.boundary()))) {
            return Optional.empty();
        }
        TrunkHeadSplit firstSplit = TrunkHeadSplit.of(graphs.get(0), plans.get(0).plan);
        List<ComputationGraph> heads = new ArrayList<>();
        heads.add(firstSplit.head());
        for (int i = 1; i < graphs.size(); i++) {
            TrunkHeadSplit split = TrunkHeadSplit.of(graphs.get(i), plans.get(i).plan);
            heads.add(split.head());
            split.trunk().close();
        }
        List<String> labels = new ArrayList<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (ModelCard c : cards) {
            labels.addAll(c.labels());
            thresholds.putAll(c.thresholds());
            names.add(c.name());
        }
        ModelCard card = new ModelCard(cards.get(0).architecture() + " shared trunk " + names, cards.get(0).architecture(),
                labels, thresholds, cards.get(0).encoder(), "");
        // the trunk runs in the host's fastest layout; the heads stay in the layout the models trained in
        InferenceTrunk trunk = InferenceTrunk.owning(firstSplit.trunk(), layout, engine);
        LOG.info("{}: shared trunk runs {}", cards.get(0).architecture(), trunk.describe());
        return Optional.of(new SharedTrunkModel(card, trunk, heads, List.copyOf(sharedOrder), names, locks));
    }

    private record SplitPlan(FreezePlan plan) {
    }

    private static Optional<SplitPlan> plan(ComputationGraph graph, Set<String> shared, List<String> sharedOrder) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> trainable = new ArrayList<>();
        Set<String> boundary = new HashSet<>();
        for (String vertex : conf.getTopologicalOrderStr()) {
            if (conf.getNetworkInputs().contains(vertex) || shared.contains(vertex)) {
                continue;
            }
            trainable.add(vertex);
            for (String input : conf.getVertexInputs().get(vertex)) {
                if (shared.contains(input)) {
                    if (conf.getNetworkInputs().contains(input)) {
                        return Optional.empty(); // a model reads the raw input outside the trunk
                    }
                    boundary.add(input);
                }
            }
        }
        if (trainable.isEmpty() || boundary.isEmpty()) {
            return Optional.empty();
        }
        List<String> orderedBoundary = sharedOrder.stream().filter(boundary::contains).toList();
        return Optional.of(new SplitPlan(new FreezePlan(sharedOrder, trainable, orderedBoundary, trainable)));
    }

    private static boolean isShared(String vertex, List<ComputationGraph> graphs, Set<String> shared) {
        ComputationGraphConfiguration first = graphs.get(0).getConfiguration();
        GraphVertex firstVertex = first.getVertices().get(vertex);
        List<String> inputs = first.getVertexInputs().get(vertex);
        if (firstVertex == null || inputs == null || !shared.containsAll(inputs)) {
            return false;
        }
        for (int i = 1; i < graphs.size(); i++) {
            ComputationGraphConfiguration conf = graphs.get(i).getConfiguration();
            GraphVertex other = conf.getVertices().get(vertex);
            if (other == null || !inputs.equals(conf.getVertexInputs().get(vertex))) {
                return false;
            }
            if (firstVertex instanceof LayerVertex a && other instanceof LayerVertex b) {
                if (!a.getLayerConf().getLayer().equals(b.getLayerConf().getLayer())) {
                    return false;
                }
                Layer la = graphs.get(0).getLayer(vertex);
                Layer lb = graphs.get(i).getLayer(vertex);
                INDArray pa = la.numParams() == 0 ? null : la.params();
                INDArray pb = lb.numParams() == 0 ? null : lb.params();
                if (pa == null != (pb == null) || pa != null && !sameValues(pa, pb)) {
                    return false;
                }
            } else if (!firstVertex.equals(other)) {
                return false;
            }
        }
        return true;
    }

    /** Exact equality (INDArray.equals allows a 1e-5 tolerance). */
    private static boolean sameValues(INDArray a, INDArray b) {
        return java.util.Arrays.equals(a.shape(), b.shape()) && a.dataType() == b.dataType()
                && java.util.Arrays.equals(a.dup().data().asFloat(), b.dup().data().asFloat());
    }

    /** @return how the shared trunk runs (its layout and why), for logs and tests */
    public String trunkLayout() {
        return trunk.describe();
    }

    /** The vertices run once per crop for all models. */
    public List<String> sharedVertices() {
        return sharedVertices;
    }

    @Override
    double[][] forward(INDArray input, int crops) {
        double[][] out = new double[crops][card().labels().size()];
        INDArray[] boundary;
        trunkLock.lock();
        try {
            boundary = trunk.output(input); // detached, in the heads' layout
        } finally {
            trunkLock.unlock();
        }
        int column = 0;
        for (int h = 0; h < heads.size(); h++) {
            double[][] part = run(headLocks.get(h), heads.get(h), boundary)[0].castTo(DataType.DOUBLE)
                    .toDoubleMatrix();
            for (int r = 0; r < crops; r++) {
                System.arraycopy(part[r], 0, out[r], column, part[r].length);
            }
            column += part[0].length;
        }
        if (column != card().labels().size()) {
            throw new IllegalStateException("shared-trunk heads gave " + column + " outputs for labels "
                    + card().labels());
        }
        return out;
    }

    @Override
    void closeNetworks() {
        trunk.close();
        heads.forEach(ComputationGraph::close);
    }
}
