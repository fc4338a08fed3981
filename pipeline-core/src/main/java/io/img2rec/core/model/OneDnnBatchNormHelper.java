package io.img2rec.core.model;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trainable batch normalization's forward and backward passes on oneDNN's batch-normalization primitives called
 * directly, in place of DL4J M2.1's {@code MKLDNNBatchNormHelper}.
 *
 * <p>DL4J's helper computes the batch mean and variance with two ND4J reductions, normalises with oneDNN using them as
 * given statistics, and runs libnd4j's {@code batchnorm_bp}, which calls oneDNN's backward primitive for given
 * statistics and then adds the terms of the batch statistics' own derivatives with generic libnd4j code: measured
 * 17.5 ms per ResNet50 phase-2 step (batch 16, 2048 × 7 × 7) of which oneDNN's primitive is 0.9 ms. Here oneDNN's
 * training-mode primitives do all of it: the forward pass computes the batch statistics itself (biased variance, as
 * DL4J's) and the backward pass differentiates through them, in one primitive each.
 *
 * <p>The contract is DL4J's helper's: {@link #preOutput} in training mode leaves the batch mean and variance in
 * {@link #getMeanCache}/{@link #getVarCache}, from which the layer derives its running statistics' update; backprop
 * returns the sums over the batch of the scale and shift gradients (DL4J's updater divides by the batch) and the
 * input gradient. Results equal DL4J's to float rounding (the sums run in another order), not bit for bit.
 *
 * <p>NCHW, float, 4-D (DL4J reshapes 2-D inputs to [n, c, 1, 1] before calling a helper), scale and shift trained
 * (not {@code lockGammaBeta}). Not thread-safe, like the layer it serves; natives released by {@link OneDnnPlans}.
 */
final class OneDnnBatchNormHelper implements BatchNormalizationHelper {
    /** Plans kept per layer (least recently used dropped): a training batch, its short last batch, scoring's. */
    private static final int MAX_PLANS = 4;

    private final String layer;
    private final OneDnnPlans<Plan> natives;
    private INDArray meanCache;
    private INDArray varCache;

    /** @param layer the layer's name, for errors */
    OneDnnBatchNormHelper(String layer) {
        this.layer = layer;
        this.natives = new OneDnnPlans<Plan>(MAX_PLANS).releaseWith(this);
    }

    @Override
    public boolean checkSupported() {
        return OneDnnTrunk.available().loaded();
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta && checkSupported();
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of("oneDNN batch-norm buffers", natives.bufferBytes());
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        supported(x, gamma, beta, format);
        INDArray input = OneDnnPrimitives.dense(x);
        Plan plan = plan(input.shape(), (float) eps);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape());
        if (training) {
            long channels = input.size(1);
            if (meanCache == null || meanCache.length() != channels) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                    varCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                }
            }
            plan.forwardTraining(natives.stream, input, vector(gamma, "gamma"), vector(beta, "beta"), out,
                    meanCache, varCache);
        } else {
            plan.forwardInference(natives.stream, input, vector(gamma, "gamma"), vector(beta, "beta"),
                    vector(mean, "mean"), vector(var, "variance"), out);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        supported(input, gamma, beta, format);
        if (meanCache == null || meanCache.length() != input.size(1)) {
            throw new IllegalStateException("layer '" + layer + "': backprop without a training forward pass");
        }
        INDArray x = OneDnnPrimitives.dense(input);
        Plan plan = plan(x.shape(), (float) eps);
        INDArray gradI = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape());
        plan.backward(natives.stream, x, meanCache, varCache, OneDnnPrimitives.dense(epsilon), vector(gamma, "gamma"),
                vector(beta, "beta"), gradI,
                vector(dGammaView, "gamma gradient"), vector(dBetaView, "beta gradient"));
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(g, gradI);
    }

    private void supported(INDArray x, INDArray gamma, INDArray beta, CNN2DFormat format) {
        if (format != CNN2DFormat.NCHW || x.rank() != 4 || x.dataType() != DataType.FLOAT || gamma == null
                || beta == null) {
            throw new IllegalStateException("layer '" + layer + "': the oneDNN batch-norm helper takes 4-D float"
                    + " NCHW inputs with a trained scale and shift, got " + format + " " + x.dataType() + " rank "
                    + x.rank() + (gamma == null ? " without gamma" : ""));
        }
    }

    /** Per-channel vectors ([c] or [1, c]) are parameter or gradient views, read or written in place. */
    private INDArray vector(INDArray a, String what) {
        return OneDnnPrimitives.inPlace(a, layer, what);
    }

    private Plan plan(long[] x, float eps) {
        return natives.get(Arrays.toString(x) + eps, () -> new Plan(layer, x, eps));
    }

    // ---- a plan: the primitives for one input shape; each built on its first use ----

    private static final class Plan extends OneDnnPrimitives {
        private static final int SCALE_AND_SHIFT = dnnl_use_scale | dnnl_use_shift;

        private final float eps;
        private final dnnl_memory_desc_t data;
        private final dnnl_memory_desc_t stat;
        private final dnnl_memory xUser;
        private final dnnl_memory yUser;
        private final dnnl_memory scaleUser;
        private final dnnl_memory shiftUser;
        private final dnnl_memory meanUser;
        private final dnnl_memory varUser;
        private dnnl_primitive_desc trainingPd;
        private List<Run> training;
        private List<Run> inference;
        private List<Run> backward;
        private dnnl_memory gradOUser;
        private dnnl_memory gradIUser;
        private dnnl_memory gradScaleUser;
        private dnnl_memory gradShiftUser;

        Plan(String layer, long[] x, float eps) {
            super(layer);
            boolean done = false;
            try {
                this.eps = eps;
                data = md(x, dnnl_nchw);
                stat = md(new long[] {x[1]}, dnnl_x);
                xUser = memory(data, false);
                yUser = memory(data, false);
                scaleUser = memory(stat, false);
                shiftUser = memory(stat, false);
                meanUser = memory(stat, false);
                varUser = memory(stat, false);
                done = true;
            } finally {
                if (!done) {
                    close();
                }
            }
        }

        private dnnl_primitive_desc forwardPd(int prop, int flags) {
            dnnl_batch_normalization_desc_t d = keep(new dnnl_batch_normalization_desc_t());
            OneDnnTrunk.check(dnnl_batch_normalization_forward_desc_init(d, prop, data, eps, flags),
                    "batch_normalization_forward", layer);
            return create(d, null);
        }

        /** Batch statistics computed into {@code mean} and {@code var}, then used to normalise. */
        void forwardTraining(dnnl_stream stream, INDArray x, INDArray gamma, INDArray beta, INDArray y,
                             INDArray mean, INDArray var) {
            if (training == null) {
                trainingPd = forwardPd(dnnl_forward_training, SCALE_AND_SHIFT);
                training = new ArrayList<>();
                run(training, trainingPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_DST,
                    DNNL_ARG_MEAN, DNNL_ARG_VARIANCE}, xUser, scaleUser, shiftUser, yUser, meanUser, varUser);
            }
            bindAll(x, gamma, beta, y, mean, var);
            execute(stream, training);
        }

        /** The given (running) statistics used to normalise. */
        void forwardInference(dnnl_stream stream, INDArray x, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, INDArray y) {
            if (inference == null) {
                dnnl_primitive_desc pd = forwardPd(dnnl_forward_inference, SCALE_AND_SHIFT | dnnl_use_global_stats);
                inference = new ArrayList<>();
                run(inference, pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_SCALE,
                    DNNL_ARG_SHIFT, DNNL_ARG_DST}, xUser, meanUser, varUser, scaleUser, shiftUser, yUser);
            }
            bindAll(x, gamma, beta, y, mean, var);
            execute(stream, inference);
        }

        /** Gradients through the batch statistics of the last training forward pass. */
        void backward(dnnl_stream stream, INDArray x, INDArray mean, INDArray var, INDArray gradO, INDArray gamma,
                      INDArray beta, INDArray gradI, INDArray gradGamma, INDArray gradBeta) {
            if (backward == null) {
                if (trainingPd == null) {
                    trainingPd = forwardPd(dnnl_forward_training, SCALE_AND_SHIFT);
                }
                dnnl_batch_normalization_desc_t d = keep(new dnnl_batch_normalization_desc_t());
                OneDnnTrunk.check(dnnl_batch_normalization_backward_desc_init(d, dnnl_backward, data, data, eps,
                        SCALE_AND_SHIFT), "batch_normalization_backward", layer);
                dnnl_primitive_desc pd = create(d, trainingPd);
                gradOUser = memory(data, false);
                gradIUser = memory(data, false);
                gradScaleUser = memory(stat, false);
                gradShiftUser = memory(stat, false);
                backward = new ArrayList<>();
                run(backward, pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_DST,
                    DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT},
                        xUser, meanUser, varUser, gradOUser, scaleUser, shiftUser, gradIUser, gradScaleUser,
                        gradShiftUser);
            }
            bind(xUser, x);
            bind(meanUser, mean);
            bind(varUser, var);
            bind(gradOUser, gradO);
            bind(scaleUser, gamma);
            bind(shiftUser, beta);
            bind(gradIUser, gradI);
            bind(gradScaleUser, gradGamma);
            bind(gradShiftUser, gradBeta);
            execute(stream, backward);
        }

        private void bindAll(INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray mean, INDArray var) {
            bind(xUser, x);
            bind(scaleUser, gamma);
            bind(shiftUser, beta);
            bind(yUser, y);
            bind(meanUser, mean);
            bind(varUser, var);
        }
    }
}
