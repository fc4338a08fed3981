package io.img2rec.core.nativeio;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Keeps DL4J's oneDNN helpers for the forward pass but lets DL4J's own code compute the backward pass.
 *
 * <p>Why: in 1.0.0-M2.1 the oneDNN convolution helper's backward pass is wrong in NHWC layout — the gradient it
 * passes to the layer below is garbage (non-deterministic, sometimes infinite), so any network with two trainable
 * convolutions diverges at once (measured: {@code ForwardOnlyHelpersTest}). DL4J falls back to its built-in
 * implementation whenever a helper's {@code backpropGradient} returns null, which is what these wrappers do. The
 * forward pass, where oneDNN brings the speed, is unchanged for convolution and pooling; a trainable batch
 * normalisation runs entirely on DL4J's code, since its built-in backward needs statistics that only its built-in
 * forward keeps.
 *
 * <p>Only NHWC layers are changed: in NCHW, oneDNN's backward pass agrees with DL4J's and is kept.
 *
 * <p>Installed per network on the layers that train (entry points and trainers call {@link #install}); frozen
 * layers never run a backward pass.
 */
public final class ForwardOnlyHelpers {
    private ForwardOnlyHelpers() {
    }

    /**
     * Wraps the helpers of every convolution and subsampling layer of {@code graph} and removes those of its
     * batch-norm layers; returns how many layers changed.
     */
    public static int install(ComputationGraph graph) {
        int wrapped = 0;
        for (Layer layer : graph.getLayers()) {
            wrapped += wrap(layer) ? 1 : 0;
        }
        return wrapped;
    }

    private static boolean wrap(Layer layer) {
        if (!isNhwc(layer)) {
            return false; // in NCHW, oneDNN's backward agrees with DL4J's (ForwardOnlyHelpersTest's reference)
        }
        try {
            if (layer instanceof ConvolutionLayer) {
                Field field = ConvolutionLayer.class.getDeclaredField("helper");
                field.setAccessible(true);
                Object helper = field.get(layer);
                if (helper instanceof ConvolutionHelper h && !(helper instanceof Conv)) {
                    field.set(layer, new Conv(h));
                    return true;
                }
            } else if (layer instanceof SubsamplingLayer) {
                Field field = SubsamplingLayer.class.getDeclaredField("helper");
                field.setAccessible(true);
                Object helper = field.get(layer);
                if (helper instanceof SubsamplingHelper h && !(helper instanceof Pool)) {
                    field.set(layer, new Pool(h));
                    return true;
                }
            } else if (layer instanceof BatchNormalization) {
                Field field = BatchNormalization.class.getDeclaredField("helper");
                field.setAccessible(true);
                // The built-in backward needs statistics that only the built-in forward keeps: no helper at all.
                if (field.get(layer) != null) {
                    field.set(layer, null);
                    return true;
                }
            }
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the helper of layer " + layer.conf().getLayer().getLayerName()
                    + " (DL4J internals changed?): " + e, e);
        }
    }

    private static boolean isNhwc(Layer layer) {
        var conf = layer.conf().getLayer();
        if (conf instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
            return c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        }
        if (conf instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer p) {
            return p.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        }
        if (conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization b) {
            return b.getCnn2DFormat() == CNN2DFormat.NHWC;
        }
        return false;
    }

    private record Conv(ConvolutionHelper forward) implements ConvolutionHelper {
        @Override
        public boolean checkSupported() {
            return forward.checkSupported();
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias,
                INDArray delta, int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                INDArray weightGradView, IActivation afn,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
                ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
            return null; // DL4J's built-in backward pass
        }

        @Override
        public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides,
                int[] pad, org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo fwdAlgo, ConvolutionMode convolutionMode,
                int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
            return forward.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode,
                    dilation, format, workspaceMgr);
        }

        @Override
        public INDArray activate(INDArray z, IActivation afn, boolean training) {
            return forward.activate(z, afn, training);
        }

        @Override
        public Map<String, Long> helperMemoryUse() {
            return forward.helperMemoryUse();
        }
    }

    private record Pool(SubsamplingHelper forward) implements SubsamplingHelper {
        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, int[] kernel,
                int[] strides, int[] pad, PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation,
                CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
            return null;
        }

        @Override
        public INDArray activate(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad,
                PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                LayerWorkspaceMgr workspaceMgr) {
            return forward.activate(input, training, kernel, strides, pad, poolingType, convolutionMode, dilation,
                    format, workspaceMgr);
        }

        @Override
        public boolean checkSupported() {
            return forward.checkSupported();
        }

        @Override
        public Map<String, Long> helperMemoryUse() {
            return forward.helperMemoryUse();
        }
    }
}
