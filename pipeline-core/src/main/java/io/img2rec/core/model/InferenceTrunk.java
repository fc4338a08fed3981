package io.img2rec.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a frozen, purely spatial graph (a trunk: convolution, pooling, batch norm, activation, zero padding and
 * element-wise vertices, no flatten or dense layer) forward in the host's {@link ForwardLayout}, taking and giving
 * activations in the layout the graph was trained in — so caches, heads and their formats do not change.
 *
 * <p>When the host's layout differs from the graph's, a twin of the graph in that layout is built once, with the
 * same parameters: DL4J keeps convolution weights {@code [out, in, kh, kw]} and batch-norm gamma, beta, mean and
 * variance {@code [1, C]} in both layouts, so parameters copy by name without any permutation
 * ({@link ParameterTransfer#copyParams}; {@code InferenceTrunkTest} proves the outputs equal to float tolerance).
 * Inputs are permuted into the twin's layout and outputs back. A twin also folds each inference-mode batch norm
 * into the convolution in front of it ({@link BatchNormFolding}), one pass fewer per such activation. A graph that
 * is not purely spatial, or whose layers disagree on their layout, runs as it is.
 *
 * <p>Where the {@link ForwardEngine} is oneDNN called directly, a spatial graph runs on {@link OneDnnTrunk} instead
 * (batch norms folded the same way, weights re-ordered once, activations in oneDNN's blocked layouts throughout);
 * a graph with a layer it does not translate runs on DL4J as above, and {@link #describe()} says which layer.
 *
 * <p>Inference mode only (batch norm on running statistics), and only for frozen graphs: the twin is a copy, so a
 * later change of the source graph's parameters does not reach it. Not thread-safe (neither is
 * {@code ComputationGraph.output}); the caller serialises calls. Closing frees the twin (or the oneDNN primitives
 * and buffers), and the source graph only when made with {@link #owning}.
 */
public final class InferenceTrunk implements AutoCloseable {

    private final ComputationGraph source;
    private final ComputationGraph twin; // null: runs the source itself (or oneDNN does)
    private final OneDnnTrunk direct;    // non-null: oneDNN called directly runs the forward passes
    private final CNN2DFormat trained;   // null when the graph has no single spatial layout
    private final String why;
    private final boolean ownsSource;
    private final int foldedBatchNorms;

    private InferenceTrunk(ComputationGraph source, ComputationGraph twin, CNN2DFormat trained, String why,
                           boolean ownsSource) {
        this(source, twin, trained, why, ownsSource, 0);
    }

    private InferenceTrunk(ComputationGraph source, ComputationGraph twin, CNN2DFormat trained, String why,
                           boolean ownsSource, int foldedBatchNorms) {
        this(source, twin, null, trained, why, ownsSource, foldedBatchNorms);
    }

    private InferenceTrunk(ComputationGraph source, ComputationGraph twin, OneDnnTrunk direct, CNN2DFormat trained,
                           String why, boolean ownsSource, int foldedBatchNorms) {
        this.foldedBatchNorms = foldedBatchNorms;
        this.source = source;
        this.twin = twin;
        this.direct = direct;
        this.trained = trained;
        this.why = why;
        this.ownsSource = ownsSource;
    }

    /**
     * @param use what the passes are for (the engine's Winograd rule differs)
     * @return {@code trunk} run by this host's engine ({@link ForwardEngine#host}) or in its layout
     * ({@link ForwardLayout#host()}); the caller keeps {@code trunk}
     */
    public static InferenceTrunk of(ComputationGraph trunk, ForwardEngine.Use use) {
        return of(trunk, ForwardLayout.host(), ForwardEngine.host(use));
    }

    /**
     * On DL4J's layers in {@code layout}.
     *
     * @param trunk  an initialised graph; not modified, not owned (the caller closes it, after this)
     * @param layout the layout to run forward passes in
     */
    public static InferenceTrunk of(ComputationGraph trunk, ForwardLayout layout) {
        return of(trunk, layout, ForwardEngine.dl4j("asked for"));
    }

    /**
     * @param trunk  an initialised graph; not modified, not owned (the caller closes it, after this)
     * @param layout the layout DL4J runs forward passes in when {@code engine} is DL4J's, or oneDNN cannot
     *               translate the graph
     * @param engine oneDNN called directly, or DL4J's layers
     */
    public static InferenceTrunk of(ComputationGraph trunk, ForwardLayout layout, ForwardEngine engine) {
        return create(trunk, layout, engine, false);
    }

    /** As {@link #owning(ComputationGraph, ForwardLayout, ForwardEngine)} on DL4J's layers. */
    public static InferenceTrunk owning(ComputationGraph trunk, ForwardLayout layout) {
        return owning(trunk, layout, ForwardEngine.dl4j("asked for"));
    }

    /**
     * As {@link #of(ComputationGraph, ForwardLayout, ForwardEngine)}, taking ownership of {@code trunk}: when a twin
     * or oneDNN runs the forward passes, {@code trunk} is closed at once (its memory is not kept twice), else
     * {@link #close()} closes it. The caller must not use or close {@code trunk} afterwards.
     */
    public static InferenceTrunk owning(ComputationGraph trunk, ForwardLayout layout, ForwardEngine engine) {
        InferenceTrunk created = create(trunk, layout, engine, true);
        if (created.twin != null || created.direct != null) {
            trunk.close();
        }
        return created;
    }

    private static InferenceTrunk create(ComputationGraph trunk, ForwardLayout layout, ForwardEngine engine,
                                         boolean owns) {
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(engine, "engine");
        ComputationGraphConfiguration conf = trunk.getConfiguration();
        Optional<String> notSpatial = firstNonSpatialVertex(conf);
        if (notSpatial.isPresent()) {
            return new InferenceTrunk(trunk, null, null, "as it is: vertex '" + notSpatial.get()
                    + "' is not a spatial layer", owns);
        }
        Optional<CNN2DFormat> trained = singleFormat(conf);
        if (trained.isEmpty()) {
            return new InferenceTrunk(trunk, null, null, "as it is: its layers do not share one layout", owns);
        }
        String notDirect = "";
        if (engine.direct()) {
            try {
                OneDnnTrunk compiled = compileDirect(trunk, trained.get(), engine.winograd());
                return new InferenceTrunk(trunk, null, compiled, trained.get(), "on " + compiled.describe()
                        + ", in and out in " + trained.get(), owns, 0);
            } catch (OneDnnTrunk.UnsupportedGraphException e) {
                notDirect = " (not on oneDNN directly: " + e.getMessage() + ")";
            }
        }
        CNN2DFormat target = layout.formatFor(trained.get());
        if (target == trained.get()) {
            return new InferenceTrunk(trunk, null, trained.get(), "in " + target + ", its own layout" + notDirect,
                    owns);
        }
        ComputationGraphConfiguration twinConf = conf.clone();
        for (GraphVertex vertex : twinConf.getVertices().values()) {
            if (vertex instanceof LayerVertex lv) {
                setFormat(lv.getLayerConf().getLayer(), target);
            }
        }
        List<BatchNormFolding.Pair> folds = BatchNormFolding.pairs(twinConf);
        ComputationGraph twin = foldedCopy(trunk, twinConf, folds);
        return new InferenceTrunk(trunk, twin, trained.get(), "in " + target + " (a twin of the " + trained.get()
                + " graph" + (folds.isEmpty() ? "" : ", " + folds.size() + " batch norms folded into their convolutions")
                + "; " + layout.reason() + ")" + notDirect, owns, folds.size());
    }

    /** oneDNN primitives for {@code trunk}, its batch norms folded into their convolutions first. */
    private static OneDnnTrunk compileDirect(ComputationGraph trunk, CNN2DFormat format, boolean winograd)
            throws OneDnnTrunk.UnsupportedGraphException {
        ComputationGraphConfiguration conf = trunk.getConfiguration();
        List<BatchNormFolding.Pair> folds = BatchNormFolding.pairs(conf);
        if (folds.isEmpty()) {
            return OneDnnTrunk.compile(trunk, format, winograd);
        }
        ComputationGraph folded = foldedCopy(trunk, conf.clone(), folds);
        try {
            return OneDnnTrunk.compile(folded, format, winograd);
        } finally {
            folded.close();
        }
    }

    /**
     * A new graph of {@code conf} (a clone of the trunk's, perhaps in another layout; modified here) without the
     * batch norms {@code folds}, holding the trunk's parameters with those batch norms folded into their convolutions.
     */
    private static ComputationGraph foldedCopy(ComputationGraph trunk, ComputationGraphConfiguration conf,
                                               List<BatchNormFolding.Pair> folds) {
        BatchNormFolding.removeBatchNorms(conf, folds);
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init();
        try {
            ParameterTransfer.copyParams(trunk, copy);
            BatchNormFolding.foldParameters(trunk, copy, folds);
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /**
     * The graph's outputs in inference mode, as {@code trunk.output(false, inputs)} gives them (to float tolerance),
     * detached from workspaces. The inputs are not closed.
     *
     * @param inputs one array per network input, in the graph's own layout
     */
    public INDArray[] output(INDArray... inputs) {
        if (direct != null) {
            return direct.output(inputs);
        }
        if (twin == null) {
            return source.output(false, inputs);
        }
        CNN2DFormat runs = runFormat();
        INDArray[] converted = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            converted[i] = permute(inputs[i], trained, runs);
        }
        INDArray[] out;
        try {
            out = twin.output(false, converted);
        } finally {
            for (INDArray c : converted) {
                c.close();
            }
        }
        INDArray[] back = new INDArray[out.length];
        for (int i = 0; i < out.length; i++) {
            back[i] = permute(out[i], runs, trained);
            out[i].close();
        }
        return back;
    }

    /** @return a C-order copy of a rank-4 {@code array} laid out as {@code to} */
    private static INDArray permute(INDArray array, CNN2DFormat from, CNN2DFormat to) {
        if (array.rank() != 4) {
            throw new IllegalArgumentException("a spatial graph's activations are rank 4 [N, C, H, W] or [N, H, W, C],"
                    + " got shape " + java.util.Arrays.toString(array.shape()));
        }
        INDArray view = from == CNN2DFormat.NCHW && to == CNN2DFormat.NHWC ? array.permute(0, 2, 3, 1)
                : array.permute(0, 3, 1, 2);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return view.dup('c'); // detached, like the graph's own outputs
        }
    }

    /** @return the layout the forward pass runs in; the graph's own when it runs as it is */
    public CNN2DFormat runFormat() {
        if (twin != null) {
            return trained == CNN2DFormat.NCHW ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        }
        return trained;
    }

    /** @return whether a twin in another layout runs the forward passes */
    public boolean runsTwin() {
        return twin != null;
    }

    /** @return whether oneDNN, called directly, runs the forward passes ({@link ForwardEngine}) */
    public boolean runsOneDnn() {
        return direct != null;
    }

    /** @return how many batch norms the twin folded into their convolutions ({@link BatchNormFolding}); 0 without a twin */
    public int foldedBatchNorms() {
        return foldedBatchNorms;
    }

    /** @return how the forward pass runs and why, for logs */
    public String describe() {
        return why;
    }

    @Override
    public void close() {
        if (direct != null) {
            direct.close(); // an owned source was closed by owning()
        } else if (twin != null) {
            twin.close();
        } else if (ownsSource) {
            source.close();
        }
    }

    private static Optional<String> firstNonSpatialVertex(ComputationGraphConfiguration conf) {
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (conf.getNetworkInputs().contains(e.getKey())) {
                continue;
            }
            GraphVertex v = e.getValue();
            boolean spatial = v instanceof ElementWiseVertex
                    || v instanceof LayerVertex lv && lv.getPreProcessor() == null && spatialLayer(lv.getLayerConf().getLayer());
            if (!spatial) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** Exact classes: subclasses (depthwise, deconvolution, …) have layout-dependent parameters or semantics. */
    private static boolean spatialLayer(Layer layer) {
        Class<?> c = layer.getClass();
        return c == ConvolutionLayer.class || c == SubsamplingLayer.class || c == BatchNormalization.class
                || c == ActivationLayer.class || c == ZeroPaddingLayer.class;
    }

    private static Optional<CNN2DFormat> singleFormat(ComputationGraphConfiguration conf) {
        List<CNN2DFormat> formats = new ArrayList<>();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                CNN2DFormat f = formatOf(lv.getLayerConf().getLayer());
                if (f != null && !formats.contains(f)) {
                    formats.add(f);
                }
            }
        }
        return formats.size() == 1 ? Optional.of(formats.get(0)) : Optional.empty();
    }

    /** @return the layer's layout; null for layers without one (activations) */
    private static CNN2DFormat formatOf(Layer layer) {
        if (layer instanceof ConvolutionLayer c) {
            return c.getCnn2dDataFormat();
        }
        if (layer instanceof SubsamplingLayer s) {
            return s.getCnn2dDataFormat();
        }
        if (layer instanceof BatchNormalization b) {
            return b.getCnn2DFormat();
        }
        if (layer instanceof ZeroPaddingLayer z) {
            return z.getDataFormat();
        }
        return null;
    }

    private static void setFormat(Layer layer, CNN2DFormat format) {
        if (layer instanceof ConvolutionLayer c) {
            c.setCnn2dDataFormat(format);
        } else if (layer instanceof SubsamplingLayer s) {
            s.setCnn2dDataFormat(format);
        } else if (layer instanceof BatchNormalization b) {
            b.setCnn2DFormat(format);
        } else if (layer instanceof ZeroPaddingLayer z) {
            z.setDataFormat(format);
        }
    }
}
