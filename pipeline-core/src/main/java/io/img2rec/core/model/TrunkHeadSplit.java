package io.img2rec.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HashSet;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph cut at a {@link FreezePlan}'s boundary into two graphs: the frozen trunk (network input → boundary
 * activations, one output per boundary vertex) and the trainable head (one input per boundary vertex, named after
 * it → the original outputs). Parameters are copied from the full graph by layer name; both graphs keep the full
 * graph's global settings (data type, workspaces, seed).
 *
 * <p>This is the basis of the frozen-trunk cache: run {@link #trunkActivations(INDArray)} once per image (inference
 * mode: frozen batch norm uses its running statistics, as DL4J's frozen layers do), then train {@link #head()} on
 * the stored activations and copy its parameters back with {@link ParameterTransfer#copyMatchingParams}.
 */
public final class TrunkHeadSplit implements AutoCloseable {

    private final ComputationGraph trunk;
    private final ComputationGraph head;
    private final List<String> boundary;

    private TrunkHeadSplit(ComputationGraph trunk, ComputationGraph head, List<String> boundary) {
        this.trunk = trunk;
        this.head = head;
        this.boundary = boundary;
    }

    /**
     * @param full an initialised graph (its parameters are copied; it is not modified)
     * @param plan where to cut; its boundary must be frozen vertices, not the network input
     */
    public static TrunkHeadSplit of(ComputationGraph full, FreezePlan plan) {
        Objects.requireNonNull(full, "full");
        Objects.requireNonNull(plan, "plan");
        ComputationGraphConfiguration conf = full.getConfiguration();
        for (String b : plan.boundary()) {
            if (conf.getNetworkInputs().contains(b)) {
                throw new IllegalArgumentException("boundary vertex '" + b + "' is a network input: nothing is frozen");
            }
        }
        ComputationGraphConfiguration trunkConf = subgraph(conf, new HashSet<>(plan.frozen()),
                conf.getNetworkInputs(), plan.boundary());
        ComputationGraphConfiguration headConf = subgraph(conf, new HashSet<>(plan.trainable()),
                plan.boundary(), conf.getNetworkOutputs());
        ComputationGraph trunk = new ComputationGraph(trunkConf);
        trunk.init();
        ComputationGraph head = new ComputationGraph(headConf);
        head.init();
        ParameterTransfer.copyParams(full, trunk);
        ParameterTransfer.copyParams(full, head);
        return new TrunkHeadSplit(trunk, head, plan.boundary());
    }

    private static ComputationGraphConfiguration subgraph(ComputationGraphConfiguration conf, Set<String> keep,
                                                          List<String> inputs, List<String> outputs) {
        ComputationGraphConfiguration sub = conf.clone();
        Map<String, GraphVertex> vertices = new LinkedHashMap<>();
        Map<String, List<String>> vertexInputs = new LinkedHashMap<>();
        sub.getVertices().forEach((name, vertex) -> {
            if (keep.contains(name)) {
                vertices.put(name, vertex);
                vertexInputs.put(name, sub.getVertexInputs().get(name));
            }
        });
        sub.setVertices(vertices);
        sub.setVertexInputs(vertexInputs);
        sub.setNetworkInputs(List.copyOf(inputs));
        sub.setNetworkOutputs(List.copyOf(outputs));
        sub.setTopologicalOrder(null);
        sub.setTopologicalOrderStr(null);
        return sub;
    }

    /** @return input → boundary activations (frozen; use in inference mode) */
    public ComputationGraph trunk() {
        return trunk;
    }

    /** @return boundary activations → outputs; its inputs are named and ordered as {@link #boundary()} */
    public ComputationGraph head() {
        return head;
    }

    /** @return the boundary vertex names, the order of the trunk's outputs and the head's inputs */
    public List<String> boundary() {
        return boundary;
    }

    /** @return the boundary activations for {@code images}, detached from workspaces, in {@link #boundary()} order */
    public INDArray[] trunkActivations(INDArray images) {
        return trunk.output(false, images);
    }

    @Override
    public void close() {
        trunk.close();
        head.close();
    }
}
