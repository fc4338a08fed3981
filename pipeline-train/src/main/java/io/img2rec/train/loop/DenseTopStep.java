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

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;

/**
 * One training iteration of a dense top — {@code input → [flatten] → dense → [dropout] → output} — done with the
 * dozen ND4J calls the arithmetic needs, on the graph's own parameter, gradient and updater-state arrays, instead
 * of through {@link ComputationGraph#fit}. Phase 1 trains such a top on cached features; there DL4J's per-iteration
 * machinery (workspaces, the solver, listeners, the dense layer's forward pass run a second time in backprop and an
 * input gradient nobody uses) costs many times the arithmetic (docs/performance.md, "Phase 1").
 *
 * <p>It performs DL4J's operations in DL4J's order with DL4J's own pieces: the input pre-processor, the layers'
 * activation functions, the output layer's loss ({@code computeScore} / {@code computeGradient}), the dropout mask
 * from {@code DropOutInverted} on {@code Nd4j.getRandom()} (the same draws, in the same order, as
 * {@code Dropout.applyDropout}), the same GEMM calls into the same gradient views, and the graph's
 * {@code ComputationGraphUpdater} (minibatch division, Adam/…, the updater state a checkpoint saves), then
 * {@code params -= update} and the iteration count, as {@code StochasticGradientDescent} does. So a graph trained
 * here is the graph {@code fit} would have produced, and it saves, loads and resumes as one (proved in
 * {@code DenseTopStepTest}).
 *
 * <p>Only plain tops qualify ({@link #of} says why not otherwise): no regularisation, weight noise, constraints,
 * gradient normalisation, layer norm, dropout schedules or dropout on the layers themselves; float parameters;
 * standard backprop; no training listeners. Anything else trains through {@code fit}.
 */
public final class DenseTopStep {
    private final ComputationGraph graph;
    private final InputPreProcessor preProcessor;
    private final Layer dense;
    private final double keepProbability; // NaN: no dropout layer
    private final Layer output;
    private final IActivation denseActivation;
    private final IActivation outputActivation;
    private final ILossFunction loss;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    private int inPlaceUpdates;
    private INDArray ones;

    private DenseTopStep(ComputationGraph graph, InputPreProcessor preProcessor, Layer dense, double keepProbability,
                         Layer output) {
        this.graph = graph;
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
                || graph.getNumLayers() > 3 || graph.params().dataType() != DataType.FLOAT
                || (graph.getListeners() != null && !graph.getListeners().isEmpty())) { // fit would call them
            return Optional.empty();
        }
        List<String> order = List.of(conf.getTopologicalOrderStr().toArray(new String[0]));
        // input, dense, [dropout], output: a chain
        String previous = conf.getNetworkInputs().get(0);
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
            if (dense == null) {
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
        return Optional.of(new DenseTopStep(graph, pre, dense, keep, output));
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
     * One iteration on a batch, as {@code graph.fit(new MultiDataSet(input, labels))} does it.
     *
     * @return the score {@code graph.score()} would report: the batch's mean loss
     */
    public double fit(INDArray input, INDArray labels) {
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView(); // as ComputationGraph.fit does on its first call
        }
        long n = input.size(0);
        INDArray x = preProcessor == null ? input : preProcessor.preProcess(input, (int) n, workspaces);
        x = x.castTo(DataType.FLOAT);
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
        Nd4j.gemm(x, delta1, gw1, true, false, 1.0, 0.0);
        delta1.sum(gb1, 0);

        // update: Adam in place, or the graph's updater on its flattened gradient and params -= update
        // (StochasticGradientDescent)
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        if (!adamInPlace(iteration, (int) n)) {
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

    /** A ones array of {@code like}'s shape and order, kept between iterations (the last batch may be smaller). */
    private INDArray ones(INDArray like) {
        if (ones == null || !java.util.Arrays.equals(ones.shape(), like.shape()) || ones.ordering() != like.ordering()) {
            ones = Nd4j.createUninitialized(like.dataType(), like.shape(), like.ordering()).assign(1.0);
        }
        return ones;
    }

    /** The graph's output in inference mode, as {@code graph.output(false, input)[0]} computes it. */
    public INDArray output(INDArray input) {
        long n = input.size(0);
        INDArray x = preProcessor == null ? input : preProcessor.preProcess(input, (int) n, workspaces);
        x = x.castTo(DataType.FLOAT);
        INDArray h = denseActivation.getActivation(preOutput(x, dense.getParam(DefaultParamInitializer.WEIGHT_KEY),
                dense.getParam(DefaultParamInitializer.BIAS_KEY)), false);
        return outputActivation.getActivation(preOutput(h, output.getParam(DefaultParamInitializer.WEIGHT_KEY),
                output.getParam(DefaultParamInitializer.BIAS_KEY)), false);
    }

    /**
     * The updater's three passes over every parameter — {@code gradient /= batch}, libnd4j's Adam
     * ({@code updaterAdam.cpp}: {@code m = β1·m + g·(1−β1)}, {@code v = β2·v + g·g·(1−β2)},
     * {@code u = m·α_t / (√v + ε)} with {@code α_t = lr·√(1−β2^t) / (1−β1^t)}) and {@code params −= u} — as one
     * single-threaded Java pass over the same off-heap arrays, in the same float operations in the same order
     * (Java's float arithmetic is IEEE 754 like the C++ loop's, which this build compiles without FMA
     * contraction; {@code DenseTopStepTest} checks the equality bit for bit). For a top of 2.1 M parameters this
     * pass is most of an iteration's cost, and on a shared host two OpenMP threads made it up to 3× slower than one.
     *
     * @return false when the graph's updater is not a single plain Adam block (then the caller runs DL4J's)
     */
    private boolean adamInPlace(int iteration, int batch) {
        var updater = graph.getUpdater(true);
        if (updater.getUpdaterBlocks().size() != 1 || !graph.getConfiguration().getDefaultConfiguration().isMiniBatch()) {
            return false;
        }
        var block = updater.getUpdaterBlocks().get(0);
        if (!(block.getGradientUpdater() instanceof AdamUpdater adam) || adam.getM() == null
                || block.getParamOffsetStart() != 0 || block.getParamOffsetEnd() != graph.numParams()
                || adam.getConfig().getLearningRateSchedule() != null) {
            return false;
        }
        INDArray params = graph.params();
        INDArray gradient = graph.getFlattenedGradients();
        INDArray m = adam.getM();
        INDArray v = adam.getV();
        long length = params.length();
        for (INDArray a : new INDArray[] {params, gradient, m, v}) {
            if (a.length() != length || a.elementWiseStride() != 1 || a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        Adam config = adam.getConfig();
        adam((float) config.getLearningRate(iteration, graph.getConfiguration().getEpochCount()),
                (float) config.getBeta1(), (float) config.getBeta2(), (float) config.getEpsilon(), iteration, batch,
                (int) length, params.data().asNioFloat(), (int) params.offset(), gradient.data().asNioFloat(),
                (int) gradient.offset(), m.data().asNioFloat(), (int) m.offset(), v.data().asNioFloat(),
                (int) v.offset());
        inPlaceUpdates++;
        return true;
    }

    /**
     * {@code g /= batch}, then libnd4j's Adam (M2.1 {@code updaterAdam.cpp}, its float operations in its order;
     * {@code α_t} as it computes it, partly in double), then {@code p −= u}; the gradient array is left holding
     * the update, as DL4J leaves it.
     */
    static void adam(float lr, float beta1, float beta2, float epsilon, int iteration, int batch, int length,
                     FloatBuffer p, int po, FloatBuffer g, int go, FloatBuffer m, int mo, FloatBuffer v, int vo) {
        float t = (float) iteration + 1;
        float beta1T = (float) Math.pow(beta1, t);
        float beta2T = (float) Math.pow(beta2, t);
        float alpha = (float) ((lr * (float) Math.sqrt((float) (1.0 - beta2T))) / (1.0 - beta1T));
        if (Float.isNaN(alpha) || alpha == 0 || Float.isInfinite(alpha)) {
            alpha = epsilon;
        }
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        float divisor = batch;
        for (int i = 0; i < length; i++) {
            float gi = g.get(go + i) / divisor;
            float mi = beta1 * m.get(mo + i) + gi * keep1;
            float vi = beta2 * v.get(vo + i) + gi * gi * keep2;
            float update = (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
            m.put(mo + i, mi);
            v.put(vo + i, vi);
            g.put(go + i, update);
            p.put(po + i, p.get(po + i) - update);
        }
    }

    /** How many iterations updated with {@link #adam} instead of DL4J's updater. */
    int inPlaceUpdates() {
        return inPlaceUpdates;
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
