package io.img2rec.core.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Copies weights into a graph by layer name, converting layouts: Keras conv kernel {@code [kh, kw, in, out]} →
 * DL4J {@code W [out, in, kh, kw]} (DL4J's layout whatever the activations' {@code CNN2DFormat}); Keras dense kernel
 * {@code [in, out]} → {@code W [in, out]}; Keras batch norm gamma, beta, moving_mean, moving_variance → DL4J
 * {@code gamma, beta, mean, var}, or {@code log10stdev = log10(sqrt(var)) = 0.5·log10(var)} for a layer built with
 * {@code useLogStd(true)} (DL4J recovers {@code var = (10^log10stdev)²} and adds epsilon itself, as Keras does).
 *
 * <p>Every array is converted and checked before any is assigned, so a file that does not fit leaves the graph as it
 * was.
 */
public final class WeightsImport {

    private WeightsImport() {
    }

    /**
     * What was copied.
     *
     * @param loaded  layers whose parameters were copied
     * @param skipped optional layers present in the source whose parameters do not fit (left as initialised), each as
     *                {@code name: reason}
     */
    public record Result(List<String> loaded, List<String> skipped) {
    }

    /**
     * Loads a Keras weights h5 into {@code target}: every layer of {@code required} must be in the file and fit; when
     * {@code loadOthers}, other parameterised layers of {@code target} found in the file are loaded when they fit and
     * skipped otherwise.
     *
     * @throws WeightsException naming the layer that is missing or does not fit, with both shapes
     */
    public static Result kerasFile(ComputationGraph target, Path file, Set<String> required, boolean loadOthers)
            throws WeightsException {
        List<String> names = loadOthers ? parameterisedLayers(target) : List.copyOf(required);
        KerasWeightsFile.Contents contents = KerasWeightsFile.read(file, names);
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            if (!contents.layers().containsKey(name)) {
                missing.add(name);
            }
        }
        // Name the first missing layer in network order, whatever order the caller's set iterates in.
        List<String> order = parameterisedLayers(target);
        missing.sort(java.util.Comparator.comparingInt(n -> order.indexOf(n) < 0 ? Integer.MAX_VALUE : order.indexOf(n)));
        if (!missing.isEmpty()) {
            throw new WeightsException("Keras weights file " + file + " has no layer '" + missing.get(0) + "'"
                    + (missing.size() > 1 ? " (nor " + (missing.size() - 1) + " other layers we need)" : "")
                    + ": it is not a weights file of this architecture; its layers are " + abbreviate(contents.fileLayers()));
        }
        Plan plan = new Plan();
        for (KerasWeightsFile.LayerWeights weights : contents.layers().values()) {
            String name = weights.layer();
            try {
                plan.add(target.getLayer(name), fromKeras(target.getLayer(name), weights.arrays()));
            } catch (IllegalArgumentException e) {
                if (required.contains(name)) {
                    throw new WeightsException("Keras weights file " + file + ": " + e.getMessage(), e);
                }
                plan.skip(name, e.getMessage());
            }
        }
        return plan.apply();
    }

    /**
     * Copies parameters from another DL4J graph (a zoo model or a ModelSerializer zip) by layer name, converting
     * batch-norm {@code var} ↔ {@code log10stdev} where the two graphs store it differently; with {@code loadOthers}
     * the other layers of {@code target} present in {@code source} are copied when they fit, skipped otherwise.
     *
     * @throws WeightsException naming the layer of {@code required} that is missing or does not fit
     */
    public static Result dl4jGraph(ComputationGraph source, String sourceName, ComputationGraph target,
                                   Set<String> required, boolean loadOthers) throws WeightsException {
        Plan plan = new Plan();
        for (String name : parameterisedLayers(target)) {
            if (!loadOthers && !required.contains(name)) {
                continue;
            }
            Layer from = source.getLayer(name);
            if (from == null || from.paramTable().isEmpty()) {
                if (required.contains(name)) {
                    throw new WeightsException(sourceName + " has no layer '" + name + "' with parameters: it is not a "
                            + "model of this architecture; its layers are " + abbreviate(parameterisedLayers(source)));
                }
                continue;
            }
            try {
                plan.add(target.getLayer(name), fromDl4j(target.getLayer(name), from.paramTable()));
            } catch (IllegalArgumentException e) {
                if (required.contains(name)) {
                    throw new WeightsException(sourceName + ": " + e.getMessage(), e);
                }
                plan.skip(name, e.getMessage());
            }
        }
        return plan.apply();
    }

    /** DL4J's {@code log10stdev} batch-norm parameter for a variance: {@code log10(sqrt(var))}. */
    public static INDArray log10StdFromVariance(INDArray variance) {
        return Transforms.log(variance, true).muli(0.5 / Math.log(10.0));
    }

    /** The variance DL4J derives from its {@code log10stdev} parameter: {@code (10^log10stdev)²}. */
    public static INDArray varianceFromLog10Std(INDArray log10Std) {
        return Transforms.exp(log10Std.mul(2.0 * Math.log(10.0)), false);
    }

    /** @return names of the layers of {@code graph} that have parameters, in the graph's order */
    public static List<String> parameterisedLayers(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            if (!layer.paramTable().isEmpty()) {
                names.add(layer.conf().getLayer().getLayerName());
            }
        }
        return names;
    }

    private static Map<String, INDArray> fromKeras(Layer target, Map<KerasWeightRole, INDArray> arrays) {
        org.deeplearning4j.nn.conf.layers.Layer conf = target.conf().getLayer();
        String name = conf.getLayerName();
        Map<String, INDArray> params = target.paramTable();
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (conf instanceof ConvolutionLayer && !(conf instanceof Deconvolution2D)) {
            require(name, arrays, KerasWeightRole.KERNEL);
            INDArray kernel = arrays.get(KerasWeightRole.KERNEL);
            long[] w = params.get(DefaultParamInitializer.WEIGHT_KEY).shape();
            long[] kerasShape = w.length == 4 ? new long[] {w[2], w[3], w[1], w[0]} : w;
            if (kernel.rank() != 4 || !Arrays.equals(kernel.shape(), kerasShape)) {
                throw misfit(name, "convolution kernel", kernel.shape(), kerasShape, "[kh, kw, in, out]");
            }
            out.put(DefaultParamInitializer.WEIGHT_KEY, kernel.permute(3, 2, 0, 1));
            putBias(name, params, arrays, out);
        } else if (conf instanceof DenseLayer || conf instanceof OutputLayer) {
            require(name, arrays, KerasWeightRole.KERNEL);
            INDArray kernel = arrays.get(KerasWeightRole.KERNEL);
            long[] w = params.get(DefaultParamInitializer.WEIGHT_KEY).shape();
            if (!Arrays.equals(kernel.shape(), w)) {
                throw misfit(name, "dense kernel", kernel.shape(), w, "[in, out]");
            }
            out.put(DefaultParamInitializer.WEIGHT_KEY, kernel);
            putBias(name, params, arrays, out);
        } else if (conf instanceof BatchNormalization) {
            for (KerasWeightRole role : new KerasWeightRole[] {KerasWeightRole.GAMMA, KerasWeightRole.BETA,
                    KerasWeightRole.MOVING_MEAN, KerasWeightRole.MOVING_VARIANCE}) {
                require(name, arrays, role);
            }
            out.put(BatchNormalizationParamInitializer.GAMMA, arrays.get(KerasWeightRole.GAMMA));
            out.put(BatchNormalizationParamInitializer.BETA, arrays.get(KerasWeightRole.BETA));
            out.put(BatchNormalizationParamInitializer.GLOBAL_MEAN, arrays.get(KerasWeightRole.MOVING_MEAN));
            INDArray variance = arrays.get(KerasWeightRole.MOVING_VARIANCE);
            if (params.containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                out.put(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, log10StdFromVariance(variance));
            } else {
                out.put(BatchNormalizationParamInitializer.GLOBAL_VAR, variance);
            }
            for (Map.Entry<String, INDArray> e : out.entrySet()) {
                e.setValue(fitVector(name, "batch-norm " + e.getKey(), e.getValue(), params.get(e.getKey())));
            }
        } else {
            throw new IllegalArgumentException("layer '" + name + "' is a " + conf.getClass().getSimpleName()
                    + ", for which Keras weights cannot be mapped (convolution, dense and batch norm can)");
        }
        if (!out.keySet().equals(params.keySet())) {
            throw new IllegalArgumentException("layer '" + name + "': the file gives " + arrays.keySet()
                    + ", the network needs parameters " + params.keySet());
        }
        return out;
    }

    private static Map<String, INDArray> fromDl4j(Layer target, Map<String, INDArray> source) {
        String name = target.conf().getLayer().getLayerName();
        Map<String, INDArray> params = target.paramTable();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String key = e.getKey();
            INDArray src = source.get(key);
            if (src == null && key.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                    && source.containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                src = varianceFromLog10Std(source.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
            } else if (src == null && key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    && source.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                src = log10StdFromVariance(source.get(BatchNormalizationParamInitializer.GLOBAL_VAR));
            }
            if (src == null) {
                throw new IllegalArgumentException("layer '" + name + "': the source has parameters "
                        + new TreeSet<>(source.keySet()) + ", the network needs " + new TreeSet<>(params.keySet()));
            }
            if (Arrays.equals(src.shape(), e.getValue().shape())) {
                out.put(key, src);
            } else if (src.isVector() && e.getValue().isVector()) {
                out.put(key, fitVector(name, "parameter '" + key + "'", src, e.getValue()));
            } else {
                throw misfit(name, "parameter '" + key + "'", src.shape(), e.getValue().shape(), "DL4J layout");
            }
        }
        return out;
    }

    private static void putBias(String name, Map<String, INDArray> params, Map<KerasWeightRole, INDArray> arrays,
                                Map<String, INDArray> out) {
        INDArray target = params.get(DefaultParamInitializer.BIAS_KEY);
        INDArray bias = arrays.get(KerasWeightRole.BIAS);
        if (target == null && bias == null) {
            return;
        }
        if (target == null || bias == null) {
            throw new IllegalArgumentException("layer '" + name + "': " + (bias == null
                    ? "the file has no bias, the network's layer has one" : "the file has a bias, the network's layer has none"));
        }
        out.put(DefaultParamInitializer.BIAS_KEY, fitVector(name, "bias", bias, target));
    }

    private static INDArray fitVector(String layer, String what, INDArray source, INDArray target) {
        if (source.length() != target.length() || !source.isVector() && source.length() > 1) {
            throw misfit(layer, what, source.shape(), new long[] {target.length()}, "vector");
        }
        return source.reshape(target.shape());
    }

    private static void require(String layer, Map<KerasWeightRole, INDArray> arrays, KerasWeightRole role) {
        if (!arrays.containsKey(role)) {
            throw new IllegalArgumentException("layer '" + layer + "': the file has " + arrays.keySet() + " but no "
                    + role.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static IllegalArgumentException misfit(String layer, String what, long[] found, long[] needed,
                                                   String layout) {
        return new IllegalArgumentException("layer '" + layer + "' " + what + ": the file has shape "
                + Arrays.toString(found) + ", the network needs " + Arrays.toString(needed) + " (" + layout + ")");
    }

    private static String abbreviate(Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 12 ? list.toString()
                : list.subList(0, 12) + " … (" + list.size() + " in all)";
    }

    /** Conversions checked first, assigned together. */
    private static final class Plan {
        private final Map<Layer, Map<String, INDArray>> layers = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();

        void add(Layer target, Map<String, INDArray> converted) {
            layers.put(target, converted);
        }

        void skip(String name, String reason) {
            skipped.add(name + ": " + reason);
        }

        Result apply() {
            List<String> loaded = new ArrayList<>();
            layers.forEach((layer, converted) -> {
                Map<String, INDArray> params = layer.paramTable();
                converted.forEach((key, value) -> params.get(key).assign(value.castTo(params.get(key).dataType())));
                loaded.add(layer.conf().getLayer().getLayerName());
            });
            return new Result(List.copyOf(loaded), List.copyOf(skipped));
        }
    }
}
