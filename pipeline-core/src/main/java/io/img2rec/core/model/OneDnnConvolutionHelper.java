package io.img2rec.core.model;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trainable 2-D convolution's forward and backward passes on oneDNN called directly (JavaCPP's {@code dnnl}),
 * in place of DL4J M2.1's {@code MKLDNNConvHelper}, which goes through libnd4j's {@code conv2d}/{@code conv2d_bp}.
 *
 * <p>The arithmetic is libnd4j's: the same primitive descriptors ({@code convolution_auto}, every tensor
 * {@code format_tag::any}, backward primitives hinted by a {@code forward_inference} one, bias and its gradient in
 * {@code x}), so oneDNN picks the same kernels and the results are bit-identical where both oneDNN versions (libnd4j's
 * 2.3, JavaCPP's 2.5.2) have the same kernels ({@code TrainingConvolutionsTest}). What differs is what is not done:
 * <ul>
 *   <li>the input gradient of a layer that reads a network input, which libnd4j always computes and DL4J then
 *       throws away (VGG16's block5_conv1 in phase 2: one backward-data convolution, ≈ 33 ms of a 0.45 s step on a
 *       Zen 4);</li>
 *   <li>primitives and re-order primitives are built once per input shape ({@link Plan}), not on every call, and
 *       the output gradient is re-ordered once per layout, not once per backward primitive.</li>
 * </ul>
 *
 * <p>NCHW, float, dilation 1 only ({@link TrainingConvolutions} installs it on such layers). Not thread-safe, like
 * the layer it serves. Natives are released when the helper becomes unreachable ({@link OneDnnPlans}).
 */
final class OneDnnConvolutionHelper implements ConvolutionHelper {
    /** Plans kept per layer (least recently used dropped): a training batch, its short last batch, scoring's. */
    private static final int MAX_PLANS = 4;

    private final String layer;
    private final boolean inputGradient;
    private final OneDnnPlans<Plan> natives;

    /**
     * @param layer         the layer's name, for errors
     * @param inputGradient whether backprop computes the gradient at the layer's input (false: returns none)
     */
    OneDnnConvolutionHelper(String layer, boolean inputGradient) {
        this.layer = layer;
        this.inputGradient = inputGradient;
        this.natives = new OneDnnPlans<Plan>(MAX_PLANS).releaseWith(this);
    }

    boolean computesInputGradient() {
        return inputGradient;
    }

    @Override
    public boolean checkSupported() {
        return OneDnnTrunk.available().loaded();
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of("oneDNN re-order buffers", natives.bufferBytes());
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return afn.getActivation(z, training);
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              ConvolutionLayer.AlgoMode mode, ConvolutionLayer.FwdAlgo fwdAlgo,
                              ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        supported(input, dilation, format);
        INDArray x = OneDnnPrimitives.dense(input);
        Plan plan = plan(x.shape(), weights.shape(), kernel, strides, pad, convolutionMode, bias != null);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, plan.zDims);
        plan.forward(natives.stream, x, inPlace(weights, "weights"), bias == null ? null : inPlace(bias, "bias"),
                z);
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn,
                                                     ConvolutionLayer.AlgoMode mode,
                                                     ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
                                                     ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        supported(input, dilation, format);
        INDArray x = OneDnnPrimitives.dense(input);
        Plan plan = plan(x.shape(), weights.shape(), kernel, strides, pad, convolutionMode, biasGradView != null);
        INDArray gradI = inputGradient
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape()) : null;
        plan.backward(natives.stream, x, inPlace(weights, "weights"), OneDnnPrimitives.dense(delta), gradI,
                inPlace(weightGradView, "weight gradient"),
                biasGradView == null ? null : inPlace(biasGradView, "bias gradient"));
        Gradient g = new DefaultGradient();
        if (biasGradView != null) {
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(g, gradI);
    }

    private void supported(INDArray input, int[] dilation, CNN2DFormat format) {
        if (format != CNN2DFormat.NCHW || dilation[0] != 1 || dilation[1] != 1 || input.rank() != 4
                || input.dataType() != DataType.FLOAT) {
            throw new IllegalStateException("layer '" + layer + "': the oneDNN training helper takes float NCHW"
                    + " inputs without dilation, got " + format + " " + input.dataType() + " dilation "
                    + Arrays.toString(dilation));
        }
    }

    private INDArray inPlace(INDArray a, String what) {
        return OneDnnPrimitives.inPlace(a, layer, what);
    }

    private Plan plan(long[] x, long[] w, int[] kernel, int[] strides, int[] pad, ConvolutionMode mode,
                      boolean bias) {
        String key = Arrays.toString(x) + Arrays.toString(w) + bias;
        return natives.get(key, () -> new Plan(layer, x, w, kernel, strides, pad, mode, bias, inputGradient));
    }

    // ---- a plan: the primitives for one input shape ----

    private static final class Plan extends OneDnnPrimitives {
        final long[] zDims;

        // the callers' arrays, bound on every call
        final dnnl_memory xUser;
        final dnnl_memory wUser;
        final dnnl_memory bUser;
        final dnnl_memory zUser;

        final List<Run> forwardRuns = new ArrayList<>();
        final List<Run> backwardRuns = new ArrayList<>();

        Plan(String layer, long[] x, long[] w, int[] kernel, int[] strides, int[] pad, ConvolutionMode mode,
             boolean bias, boolean inputGradient) {
            super(layer);
            boolean done = false;
            try {
                long n = x[0];
                long ih = x[2];
                long iw = x[3];
                long oc = w[0];
                int[] padL = pad;
                int[] out;
                int[] inHw = {(int) ih, (int) iw};
                if (mode == ConvolutionMode.Same) {
                    out = new int[] {(int) ((ih + strides[0] - 1) / strides[0]),
                        (int) ((iw + strides[1] - 1) / strides[1])};
                    padL = ConvolutionUtils.getSameModeTopLeftPadding(out, inHw, kernel, strides, new int[] {1, 1});
                } else {
                    out = new int[] {(int) ((ih + 2L * pad[0] - kernel[0]) / strides[0] + 1),
                        (int) ((iw + 2L * pad[1] - kernel[1]) / strides[1] + 1)};
                }
                // libnd4j's right padding: what the last window needs past the input
                long[] padR = {(long) (out[0] - 1) * strides[0] - ih + kernel[0] - padL[0],
                    (long) (out[1] - 1) * strides[1] - iw + kernel[1] - padL[1]};
                zDims = new long[] {n, oc, out[0], out[1]};
                long[] s = {strides[0], strides[1]};
                long[] dil = {0, 0};
                long[] pl = {padL[0], padL[1]};

                dnnl_memory_desc_t xAny = md(x, dnnl_format_tag_any);
                dnnl_memory_desc_t wAny = md(w, dnnl_format_tag_any);
                dnnl_memory_desc_t bX = bias ? md(new long[] {oc}, dnnl_x) : null;
                dnnl_memory_desc_t zAny = md(zDims, dnnl_format_tag_any);
                dnnl_memory_desc_t xPlain = md(x, dnnl_nchw);
                dnnl_memory_desc_t wPlain = md(w, dnnl_oihw);
                dnnl_memory_desc_t zPlain = md(zDims, dnnl_nchw);

                dnnl_convolution_desc_t fd = keep(new dnnl_convolution_desc_t());
                OneDnnTrunk.check(dnnl_dilated_convolution_forward_desc_init(fd, dnnl_forward_inference,
                        dnnl_convolution_auto, xAny, wAny, bX, zAny, s, dil, pl, padR), "convolution_forward", layer);
                dnnl_primitive_desc fpd = create(fd, null);
                this.fpd = fpd;
                this.xAny = xAny;
                this.wAny = wAny;
                this.bX = bX;
                this.zAny = zAny;
                this.xPlain = xPlain;
                this.wPlain = wPlain;
                this.zPlain = zPlain;
                this.geometry = new long[][] {s, dil, pl, padR};
                this.inputGradient = inputGradient;
                xUser = memory(xPlain, false);
                wUser = memory(wPlain, false);
                bUser = bias ? memory(bX, false) : null;
                zUser = memory(zPlain, false);

                // forward: x, w in; z out
                dnnl_memory fx = into(forwardRuns, xUser, xPlain, query(fpd, dnnl_query_src_md));
                dnnl_memory fw = into(forwardRuns, wUser, wPlain, query(fpd, dnnl_query_weights_md));
                dnnl_memory_desc_t fzMd = query(fpd, dnnl_query_dst_md);
                dnnl_memory fz = same(fzMd, zPlain) ? zUser : memory(fzMd, true);
                if (bias) {
                    run(forwardRuns, fpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                            fx, fw, bUser, fz);
                } else {
                    run(forwardRuns, fpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, fx, fw, fz);
                }
                if (fz != zUser) {
                    reorder(forwardRuns, fz, fzMd, zUser, zPlain);
                }

                done = true;
            } finally {
                if (!done) {
                    close();
                }
            }
        }

        // what the backward primitives are built from, on the first backward call (scoring shapes never need them)
        private final dnnl_primitive_desc fpd;
        private final dnnl_memory_desc_t xAny;
        private final dnnl_memory_desc_t wAny;
        private final dnnl_memory_desc_t bX;
        private final dnnl_memory_desc_t zAny;
        private final dnnl_memory_desc_t xPlain;
        private final dnnl_memory_desc_t wPlain;
        private final dnnl_memory_desc_t zPlain;
        private final long[][] geometry;
        private final boolean inputGradient;
        private dnnl_memory gradOUser;
        private dnnl_memory gradIUser;
        private dnnl_memory gradWUser;
        private dnnl_memory gradBUser;
        private boolean backwardBuilt;

        /** Builds the backward primitives: backward data first (as libnd4j runs them), then backward weights. */
        private void buildBackward() {
            long[] s = geometry[0];
            long[] dil = geometry[1];
            long[] pl = geometry[2];
            long[] padR = geometry[3];
            boolean bias = bX != null;
            dnnl_convolution_desc_t wd = keep(new dnnl_convolution_desc_t());
            OneDnnTrunk.check(dnnl_dilated_convolution_backward_weights_desc_init(wd, dnnl_convolution_auto, xAny,
                    wAny, bX, zAny, s, dil, pl, padR), "convolution_backward_weights", layer);
            dnnl_primitive_desc wpd = create(wd, fpd);
            dnnl_primitive_desc dpd = null;
            if (inputGradient) {
                dnnl_convolution_desc_t dd = keep(new dnnl_convolution_desc_t());
                OneDnnTrunk.check(dnnl_dilated_convolution_backward_data_desc_init(dd, dnnl_convolution_auto,
                        xAny, wAny, zAny, s, dil, pl, padR), "convolution_backward_data", layer);
                dpd = create(dd, fpd);
            }
            gradOUser = memory(zPlain, false);
            gradIUser = inputGradient ? memory(xPlain, false) : null;
            gradWUser = memory(wPlain, false);
            gradBUser = bias ? memory(bX, false) : null;
            List<dnnl_memory_desc_t> gradOMds = new ArrayList<>();
            List<dnnl_memory> gradOMems = new ArrayList<>();
            if (inputGradient) {
                dnnl_memory dgo = gradO(gradOMds, gradOMems, query(dpd, dnnl_query_diff_dst_md), zPlain);
                dnnl_memory dw = into(backwardRuns, wUser, wPlain, query(dpd, dnnl_query_weights_md));
                dnnl_memory_desc_t diMd = query(dpd, dnnl_query_diff_src_md);
                dnnl_memory di = same(diMd, xPlain) ? gradIUser : memory(diMd, true);
                run(backwardRuns, dpd, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                        dgo, dw, di);
                if (di != gradIUser) {
                    reorder(backwardRuns, di, diMd, gradIUser, xPlain);
                }
            }
            dnnl_memory wgo = gradO(gradOMds, gradOMems, query(wpd, dnnl_query_diff_dst_md), zPlain);
            dnnl_memory wx = into(backwardRuns, xUser, xPlain, query(wpd, dnnl_query_src_md));
            dnnl_memory_desc_t gwMd = query(wpd, dnnl_query_diff_weights_md);
            dnnl_memory gw = same(gwMd, wPlain) ? gradWUser : memory(gwMd, true);
            if (bias) {
                run(backwardRuns, wpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS,
                    DNNL_ARG_DIFF_BIAS}, wx, wgo, gw, gradBUser);
            } else {
                run(backwardRuns, wpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
                        wx, wgo, gw);
            }
            if (gw != gradWUser) {
                reorder(backwardRuns, gw, gwMd, gradWUser, wPlain);
            }
            backwardBuilt = true;
        }

        /** The output gradient in layout {@code want}: re-ordered once per distinct layout, in the backward runs. */
        private dnnl_memory gradO(List<dnnl_memory_desc_t> mds, List<dnnl_memory> mems, dnnl_memory_desc_t want,
                                  dnnl_memory_desc_t plain) {
            if (same(want, plain)) {
                return gradOUser;
            }
            for (int i = 0; i < mds.size(); i++) {
                if (same(mds.get(i), want)) {
                    return mems.get(i);
                }
            }
            dnnl_memory m = memory(want, true);
            reorder(backwardRuns, gradOUser, plain, m, want);
            mds.add(want);
            mems.add(m);
            return m;
        }

        void forward(dnnl_stream stream, INDArray x, INDArray w, INDArray b, INDArray z) {
            bind(xUser, x);
            bind(wUser, w);
            if (bUser != null) {
                bind(bUser, b);
            }
            bind(zUser, z);
            execute(stream, forwardRuns);
        }

        void backward(dnnl_stream stream, INDArray x, INDArray w, INDArray gradO, INDArray gradI, INDArray gradW,
                      INDArray gradB) {
            if (!backwardBuilt) {
                buildBackward();
            }
            bind(xUser, x);
            bind(wUser, w);
            bind(gradOUser, gradO);
            if (gradIUser != null) {
                bind(gradIUser, gradI);
            }
            bind(gradWUser, gradW);
            if (gradBUser != null) {
                bind(gradBUser, gradB);
            }
            execute(stream, backwardRuns);
        }
    }
}
