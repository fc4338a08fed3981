package io.img2rec.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.util.GraphIndices;

/**
 * Reads a graph configuration's structure: where the top (head) begins and where the freeze boundary lies for
 * "the last N layers trainable", found from the topology rather than from layer names, so it works on our
 * architectures and on graphs from elsewhere (DL4J zoo, Keras import) alike.
 *
 * <p>Counting follows Keras' {@code model.layers[-N:]} of the original project, in which the top model was one
 * layer: every non-input vertex of the base counts as one layer (convolution, batch norm, activation, add, pooling),
 * and the whole head counts as one. VGG16, N = 5: {@code block5_conv1..3, block5_pool} + top. ResNet50, N = 5:
 * {@code res5c_branch2c, bn5c_branch2c, res5c} (add), {@code res5c_relu} + top. Keras' separate
 * {@code ZeroPadding2D} layers are folded into convolutions here, so counts reaching back to {@code conv1} differ
 * by those two; within a projection block DL4J's topological order may interleave the shortcut with the main branch
 * differently from Keras' listing.
 */
public final class GraphTopology {

    private final ComputationGraphConfiguration conf;
    private final List<String> order;
    private final Map<String, Integer> position = new HashMap<>();
    private final Map<String, List<String>> consumers = new HashMap<>();

    private GraphTopology(ComputationGraphConfiguration conf) {
        this.conf = conf;
        this.order = topologicalOrder(conf);
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        conf.getVertexInputs().forEach((vertex, inputs) ->
                inputs.forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex)));
    }

    /**
     * DL4J's own topological order: the configuration's {@code getTopologicalOrderStr()} when a graph was
     * initialised from it, else computed by DL4J on a throw-away (uninitialised) graph of a copy.
     */
    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        if (conf.getTopologicalOrderStr() != null) {
            return List.copyOf(conf.getTopologicalOrderStr());
        }
        GraphIndices indices = new ComputationGraph(conf.clone()).calculateIndices();
        List<String> names = new ArrayList<>();
        for (int i : indices.getTopologicalSortOrder()) {
            names.add(indices.getIdxToName().get(i));
        }
        return List.copyOf(names);
    }

    /** @return the topology of {@code conf} (built once; the configuration must not change afterwards) */
    public static GraphTopology of(ComputationGraphConfiguration conf) {
        return new GraphTopology(Objects.requireNonNull(conf, "conf"));
    }

    /**
     * The head: the first vertex, in topological order, that collapses a feature map into a vector (a global pooling
     * layer, or a layer or preprocessor vertex with a CNN-to-feed-forward preprocessor, i.e. a Flatten), and
     * everything it feeds.
     *
     * @return head vertices in topological order
     * @throws IllegalArgumentException if the graph never leaves the spatial domain
     */
    public List<String> head() {
        for (String v : order) {
            if (collapsesFeatureMap(conf.getVertices().get(v))) {
                Set<String> below = descendantsOf(v);
                List<String> head = new ArrayList<>();
                for (String u : order) {
                    if (below.contains(u)) {
                        head.add(u);
                    }
                }
                return head;
            }
        }
        throw new IllegalArgumentException("no vertex collapses the feature map (global pooling or flatten) in graph "
                + "with outputs " + conf.getNetworkOutputs() + ": cannot tell where the head starts");
    }

    /** @return the vertices whose activations feed the head (the bottleneck features of phase 1) */
    public List<String> headInputs() {
        return boundaryOf(new HashSet<>(head()));
    }

    /**
     * @param n number of trainable layers counted as Keras counted them (the head is one); at least 1
     * @return the plan with the last {@code n} layers trainable
     * @throws IllegalArgumentException if {@code n} is below 1 or covers the whole base
     */
    public FreezePlan lastLayersTrainable(int n) {
        List<String> head = head();
        Set<String> headSet = new HashSet<>(head);
        List<String> base = new ArrayList<>();
        for (String v : order) {
            if (!conf.getNetworkInputs().contains(v) && !headSet.contains(v)) {
                base.add(v);
            }
        }
        if (n < 1 || n > base.size()) {
            throw new IllegalArgumentException("trainable layer count must be in [1, " + base.size()
                    + "] for this graph (" + base.size() + " base layers + the head), got " + n);
        }
        Set<String> trainable = new HashSet<>(headSet);
        trainable.addAll(base.subList(base.size() - (n - 1), base.size()));
        List<String> frozen = new ArrayList<>();
        List<String> trainableOrdered = new ArrayList<>();
        for (String v : order) {
            if (conf.getNetworkInputs().contains(v)) {
                continue;
            }
            (trainable.contains(v) ? trainableOrdered : frozen).add(v);
        }
        return new FreezePlan(frozen, trainableOrdered, boundaryOf(trainable), head);
    }

    /** @return vertices outside {@code inside} that feed a vertex inside it, in topological order */
    private List<String> boundaryOf(Set<String> inside) {
        Set<String> boundary = new LinkedHashSet<>();
        for (String v : order) {
            if (inside.contains(v)) {
                for (String in : conf.getVertexInputs().getOrDefault(v, List.of())) {
                    if (!inside.contains(in)) {
                        boundary.add(in);
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>(boundary);
        sorted.sort((a, b) -> Integer.compare(position.get(a), position.get(b)));
        return sorted;
    }

    private Set<String> descendantsOf(String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                todo.addAll(consumers.getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    private static boolean collapsesFeatureMap(GraphVertex vertex) {
        if (vertex instanceof LayerVertex lv) {
            return lv.getLayerConf().getLayer() instanceof GlobalPoolingLayer
                    || isFlatten(lv.getPreProcessor());
        }
        return vertex instanceof PreprocessorVertex pv && isFlatten(pv.getPreProcessor());
    }

    private static boolean isFlatten(InputPreProcessor p) {
        return p instanceof CnnToFeedForwardPreProcessor;
    }
}
