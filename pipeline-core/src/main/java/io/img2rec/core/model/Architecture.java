package io.img2rec.core.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A convolutional network we define ourselves: a base with Keras layer names, and the top the project puts on it.
 * Implementations are stateless and immutable; everything variable comes in through {@link ArchitectureOptions}
 * and {@link TopSpec}.
 */
public interface Architecture {

    /** Name of the single network input vertex of every configuration built here. */
    String INPUT = "input";

    /** @return a short name for logs and sidecars, e.g. {@code vgg16} */
    String name();

    /** @return the square input side this architecture is normally used at */
    int defaultInputSize();

    /** @return the top the original project used, with {@code outputs} sigmoid units */
    TopSpec defaultTop(int outputs);

    /**
     * Adds the convolutional base to {@code graph}, starting from the vertex {@code input}.
     *
     * @return the name of the base's last vertex (its output feature map)
     */
    String addBase(GraphAssembly graph, String input);

    /** @return base + {@link #defaultTop(int)} with {@code outputs} sigmoid units */
    default ComputationGraphConfiguration configuration(ArchitectureOptions options, int outputs) {
        return configuration(options, defaultTop(outputs));
    }

    /** @return base + the given top */
    default ComputationGraphConfiguration configuration(ArchitectureOptions options, TopSpec top) {
        GraphAssembly graph = GraphAssembly.start(options);
        String base = addBase(graph, INPUT);
        return graph.finish(graph.addTop(base, top));
    }

    /** @return the base alone, its last feature map as the (non-trainable-as-is) output */
    default ComputationGraphConfiguration baseConfiguration(ArchitectureOptions options) {
        GraphAssembly graph = GraphAssembly.start(options);
        return graph.finish(addBase(graph, INPUT));
    }

    /** @return an initialised graph of base + default top; the caller owns (and closes) it */
    default ComputationGraph create(ArchitectureOptions options, int outputs) {
        ComputationGraph graph = new ComputationGraph(configuration(options, outputs));
        graph.init();
        return graph;
    }
}
