package io.img2rec.train.loop;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.List;
import java.util.Optional;

/**
 * One training iteration of a dense top — {@code input → [flatten | global pooling] → dense → [dropout] → output} —
 * done with the dozen ND4J calls the arithmetic needs, on the graph's own parameter, gradient and updater-state arrays,
 * instead of through {@link ComputationGraph#fit}. Phase 1 trains such a top on cached features; there DL4J's
 * per-iteration machinery (workspaces, the solver, listeners, the dense layer's forward pass run a second time in
 * backprop and an input gradient nobody uses) costs many times the arithmetic (docs/performance.md, "Phase 1").
 *
 * <p>It performs DL4J's operations in DL4J's order with DL4J's own pieces: the input pre-processor, the layers'
 * activation functions, a global pooling layer's own forward pass, the output layer's loss ({@code computeScore} /
 * {@code computeGradient}), the dropout mask from {@code DropOutInverted} on {@code Nd4j.getRandom()} (the same draws,
 * in the same order, as {@code Dropout.applyDropout}), the same GEMM calls into the same gradient views; then, for a
 * plain Adam updater, {@link HeapAdam} (the dense weight gradient and libnd4j's Adam in one pass, the moments on the
 * heap until {@link #flush}), otherwise the graph's {@code ComputationGraphUpdater} and {@code params -= update}; and
 * the iteration count, as {@code StochasticGradientDescent} keeps it. So a graph trained here is the graph {@code fit}
 * would have produced — bit for bit where OpenBLAS sums the weight gradient as {@link HeapAdam} does, to float rounding
 * elsewhere — and, once flushed, it saves, loads and resumes as one (proved in {@code DenseTopStepTest}).
 *
 * <p>Only plain tops qualify ({@link #of} says why not otherwise): no regularisation, weight noise, constraints,
 * gradient normalisation, layer norm, dropout schedules or dropout on the layers themselves; float parameters; standard
 * backprop; no training listeners. Anything else trains through {@code fit}.
 */
public final class DenseTopStep {
    private final ComputationGraph graph;
    private final Layer pooling; // null: none (the dense layer's pre-processor flattens, if anything)
    private final InputPreProcessor preProcessor;
    private final Layer dense;
    private final double keepProbability; // NaN: no dropout layer
    private final Layer output;
    private final IActivation denseActivation;
    private final IActivation outputActivation;
    private final ILossFunction loss;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    private HeapAdam heap; // while fit runs Adam on the heap; null after flush
    private int heapUpdates;
    private INDArray ones;

    private DenseTopStep(ComputationGraph graph, Layer pooling, InputPreProcessor preProcessor, Layer dense,
                         double keepProbability, Layer output) {
        this.graph = graph;
        this.pooling = pooling;
        this.preProcessor = preProcessor;
        this.dense = dense;
        this.keepProbability = keepProbability;
        this.output = output;
        this.denseActivation = ((DenseLayer) dense.conf().getLayer()).getActivationFn();
        OutputLayer outputConf = (OutputLayer) output.conf().getLayer();
        this.outputActivation = outputConf.getActivationFn();
        this.loss = outputConf.getLossFn();
    }

    /**
     * @return the step for {@code graph}, or empty when its shape or settings are not the plain dense top this
     * class reproduces exactly (then train it with {@code fit})
     */
    public static Optional<DenseTopStep> of(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1
                || conf.getBackpropType() != BackpropType.Standard || graph.getNumLayers() < 2
                || graph.getNumLayers() > 4 || graph.params().dataType() != DataType.FLOAT
                || (graph.getListeners() != null && !graph.getListeners().isEmpty())) { // fit would call them
            return Optional.empty();
        }
        List<String> order = List.of(conf.getTopologicalOrderStr().toArray(new String[0]));
        // input, [global pooling], dense, [dropout], output: a chain
        String previous = conf.getNetworkInputs().get(0);
        Layer pooling = null;
        Layer dense = null;
        Layer output = null;
        double keep = Double.NaN;
        InputPreProcessor pre = null;
        for (String name : order) {
            if (name.equals(conf.getNetworkInputs().get(0))) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> inputs = conf.getVertexInputs().get(name);
            if (!(vertex instanceof LayerVertex layerVertex) || inputs == null || inputs.size() != 1
                    || !inputs.get(0).equals(previous)) {
                return Optional.empty();
            }
            org.deeplearning4j.nn.conf.layers.Layer layerConf = layerVertex.getLayerConf().getLayer();
            if (layerConf.getIDropout() != null && !(layerConf instanceof DropoutLayer)) {
                return Optional.empty();
            }
            if (dense == null && pooling == null && layerConf instanceof GlobalPoolingLayer p) {
                // no parameters and no gradient needed (its input is the network's): its forward pass is all
                if (layerVertex.getPreProcessor() != null || !p.isCollapseDimensions()) {
                    return Optional.empty();
                }
                pooling = graph.getLayer(name);
            } else if (dense == null) {
                if (!(layerConf instanceof DenseLayer d) || !plain(d) || d.hasLayerNorm() || !d.hasBias()) {
                    return Optional.empty();
                }
                pre = layerVertex.getPreProcessor();
                dense = graph.getLayer(name);
            } else if (layerConf instanceof DropoutLayer dropout && output == null && Double.isNaN(keep)) {
                if (layerVertex.getPreProcessor() != null || !(dropout.getIDropout() instanceof Dropout d)
                        || d.getPSchedule() != null || !(d.getP() > 0 && d.getP() <= 1)) {
                    return Optional.empty();
                }
                keep = d.getP();
            } else if (layerConf instanceof OutputLayer o && output == null && plain(o) && o.hasBias()
                    && layerVertex.getPreProcessor() == null && conf.getNetworkOutputs().get(0).equals(name)) {
                output = graph.getLayer(name);
            } else {
                return Optional.empty();
            }
            previous = name;
        }
        if (dense == null || output == null) {
            return Optional.empty();
        }
        return Optional.of(new DenseTopStep(graph, pooling, pre, dense, keep, output));
    }

    private static boolean plain(BaseLayer layer) {
        return (layer.getRegularization() == null || layer.getRegularization().isEmpty())
                && (layer.getRegularizationBias() == null || layer.getRegularizationBias().isEmpty())
                && layer.getWeightNoise() == null && (layer.getConstraints() == null || layer.getConstraints().isEmpty())
                && (layer.getGradientNormalization() == null
                || layer.getGradientNormalization() == GradientNormalization.None);
    }

    /** The graph this step trains (its parameters and updater state change in place). */
    public ComputationGraph graph() {
        return graph;
    }

    /**
     * One iteration on a batch, as {@code graph.fit(new MultiDataSet(input, labels))} does it. Adam's moments may
     * stay on the heap until {@link #flush}.
     *
     * @return the score {@code graph.score()} would report: the batch's mean loss
     */
    public double fit(INDArray input, INDArray labels) {
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView(); // as ComputationGraph.fit does on its first call
        }
        long n = input.size(0);
        INDArray x = denseInput(input, true);
        INDArray w1 = dense.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b1 = dense.getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray w2 = output.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b2 = output.getParam(DefaultParamInitializer.BIAS_KEY);

        // forward: dense (pre-activation kept for the backward pass, as DL4J recomputes it)
        INDArray z1 = preOutput(x, w1, b1);
        INDArray a1 = denseActivation.getActivation(z1.dup(), true);
        INDArray mask = null;
        INDArray h = a1;
        if (!Double.isNaN(keepProbability)) { // Dropout.applyDropout
            h = Nd4j.createUninitialized(a1.dataType(), a1.shape(), a1.ordering());
            mask = Nd4j.createUninitialized(h.dataType(), h.shape(), h.ordering());
            // Dropout draws into a ones array in place; drawing from kept ones into a fresh array is the same draw
            Nd4j.getExecutioner().exec(new DropOutInverted(ones(h), mask, keepProbability));
            Nd4j.getExecutioner().exec(new MulOp(a1, mask, h));
        }
        INDArray z2 = preOutput(h, w2, b2);
        INDArray y = labels.castTo(z2.dataType());
        double score = loss.computeScore(y, z2, outputActivation, null, false) / n;

        // backward: output layer
        INDArray delta2 = loss.computeGradient(y, z2.dup(), outputActivation, null);
        INDArray gw2 = gradientView(output, DefaultParamInitializer.WEIGHT_KEY);
        INDArray gb2 = gradientView(output, DefaultParamInitializer.BIAS_KEY);
        Nd4j.gemm(h, delta2, gw2, true, false, 1.0, 0.0);
        delta2.sum(gb2, 0);
        INDArray epsilon = Nd4j.createUninitialized(delta2.dataType(), new long[] {w2.size(0), delta2.size(0)}, 'f');
        epsilon = w2.mmuli(delta2.transpose(), epsilon).transpose();
        if (mask != null) { // Dropout.backprop
            INDArray through = Nd4j.createUninitialized(epsilon.dataType(), epsilon.shape(), epsilon.ordering());
            Nd4j.getExecutioner().exec(new MulOp(epsilon, mask, through));
            epsilon = through;
        }
        // dense layer; its input gradient is not needed (the input is a network input)
        INDArray delta1 = denseActivation.backprop(z1, epsilon).getFirst();
        INDArray gw1 = gradientView(dense, DefaultParamInitializer.WEIGHT_KEY);
        INDArray gb1 = gradientView(dense, DefaultParamInitializer.BIAS_KEY);
        delta1.sum(gb1, 0);

        // update: Adam on the heap with the dense weight gradient computed in its pass, or the dense weight
        // gradient here and the graph's updater on the flattened gradient, then params -= update
        // (StochasticGradientDescent)
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        HeapAdam.Coefficients adam = heapAdam(iteration, w1, gw1);
        if (adam != null) {
            if (heap == null) {
                heap = HeapAdam.load(graph.params(), graph.getFlattenedGradients(), adamState().getM(),
                        adamState().getV(), (int) w1.size(0), (int) w1.size(1));
            }
            heap.step(adam, (int) n, x, delta1);
            heapUpdates++;
        } else {
            flush();
            Nd4j.gemm(x, delta1, gw1, true, false, 1.0, 0.0);
            Gradient gradient = new DefaultGradient(graph.getFlattenedGradients());
            String denseName = dense.conf().getLayer().getLayerName() + "_";
            String outputName = output.conf().getLayer().getLayerName() + "_";
            gradient.setGradientFor(denseName + DefaultParamInitializer.WEIGHT_KEY, gw1);
            gradient.setGradientFor(denseName + DefaultParamInitializer.BIAS_KEY, gb1);
            gradient.setGradientFor(outputName + DefaultParamInitializer.WEIGHT_KEY, gw2);
            gradient.setGradientFor(outputName + DefaultParamInitializer.BIAS_KEY, gb2);
            graph.getUpdater(true).update(gradient, iteration, conf.getEpochCount(), (int) n, workspaces);
            graph.params().subi(gradient.gradient());
        }
        conf.setIterationCount(iteration + 1);
        for (Layer layer : graph.getLayers()) { // ComputationGraph.synchronizeIterEpochCounts
            layer.setIterationCount(iteration + 1);
        }
        return score;
    }

    /** The dense layer's input as the graph computes it: the global pooling layer's output, pre-processed. */
    private INDArray denseInput(INDArray input, boolean training) {
        INDArray x = input;
        if (pooling != null) {
            pooling.setInput(x, workspaces);
            x = pooling.activate(training, workspaces);
            pooling.clear();
        }
        x = preProcessor == null ? x : preProcessor.preProcess(x, (int) x.size(0), workspaces);
        return x.castTo(DataType.FLOAT);
    }

    /** A ones array of {@code like}'s shape and order, kept between iterations (the last batch may be smaller). */
    private INDArray ones(INDArray like) {
        if (ones == null || !java.util.Arrays.equals(ones.shape(), like.shape()) || ones.ordering() != like.ordering()) {
            ones = Nd4j.createUninitialized(like.dataType(), like.shape(), like.ordering()).assign(1.0);
        }
        return ones;
    }

    /** The graph's output in inference mode, as {@code graph.output(false, input)[0]} computes it. */
    public INDArray output(INDArray input) {
        INDArray x = denseInput(input, false);
        INDArray h = denseActivation.getActivation(preOutput(x, dense.getParam(DefaultParamInitializer.WEIGHT_KEY),
                dense.getParam(DefaultParamInitializer.BIAS_KEY)), false);
        return outputActivation.getActivation(preOutput(h, output.getParam(DefaultParamInitializer.WEIGHT_KEY),
                output.getParam(DefaultParamInitializer.BIAS_KEY)), false);
    }

    /**
     * Writes what {@link #fit} keeps on the heap (Adam's moments) back into the graph's updater state. Call it
     * before the graph's updater state is read or saved and when the epoch ends; {@link HeadTrainer} does. The
     * parameters are in the graph after every {@code fit}.
     */
    public void flush() {
        if (heap != null) {
            heap.flush();
            heap = null;
        }
    }

    /**
     * Adam's constants for this iteration when the graph's updater is one plain Adam block over every parameter
     * laid out as {@link HeapAdam} needs; null otherwise (then DL4J's updater runs). For a top of 2.1 M parameters
     * the update is most of an iteration's cost: libnd4j runs it as three passes (divide, Adam, subtract), and on a
     * shared host two OpenMP threads made them up to 3× slower than one.
     */
    private HeapAdam.Coefficients heapAdam(int iteration, INDArray w1, INDArray gw1) {
        AdamUpdater adam = adamState();
        if (adam == null || !graph.getConfiguration().getDefaultConfiguration().isMiniBatch()
                || adam.getConfig().getLearningRateSchedule() != null
                || !HeapAdam.fits(graph.params(), graph.getFlattenedGradients(), adam.getM(), adam.getV(), w1, gw1)) {
            return null;
        }
        Adam config = adam.getConfig();
        return HeapAdam.Coefficients.of((float) config.getLearningRate(iteration, graph.getConfiguration().getEpochCount()),
                (float) config.getBeta1(), (float) config.getBeta2(), (float) config.getEpsilon(), iteration);
    }

    /** The graph's Adam updater when it is a single block over all parameters with its state allocated. */
    private AdamUpdater adamState() {
        var updater = graph.getUpdater(true);
        if (updater.getUpdaterBlocks().size() != 1) {
            return null;
        }
        var block = updater.getUpdaterBlocks().get(0);
        if (!(block.getGradientUpdater() instanceof AdamUpdater adam) || adam.getM() == null
                || block.getParamOffsetStart() != 0 || block.getParamOffsetEnd() != graph.numParams()) {
            return null;
        }
        return adam;
    }

    /** How many iterations updated with {@link HeapAdam} instead of DL4J's updater. */
    int heapUpdates() {
        return heapUpdates;
    }

    /** {@code BaseLayer.preOutput}: {@code x·W + b} into a new c-order array. */
    private static INDArray preOutput(INDArray x, INDArray w, INDArray b) {
        INDArray z = Nd4j.createUninitialized(w.dataType(), x.size(0), w.size(1));
        x.mmuli(w, z);
        z.addiRowVector(b);
        return z;
    }

    /** The layer's view of {@code key} in the graph's flattened gradient (where DL4J's backprop writes it). */
    private static INDArray gradientView(Layer layer, String key) {
        return layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray()).get(key);
    }
}
