package io.img2rec.core.model;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A frozen spatial graph (convolutions, max/average pooling, ReLU, element-wise sums; batch norms already folded
 * into their convolutions) run forward by calling oneDNN directly through JavaCPP's {@code dnnl} presets, not
 * through DL4J's layers. What that buys, and why DL4J M2.1 cannot give it: DL4J's oneDNN helper re-orders every
 * convolution's weights into the kernel's blocked layout on every call and the activations between plain and
 * blocked layouts around every layer; here a {@link Plan} per input shape builds the primitives once, re-orders
 * the weights once, keeps activations in the layouts the kernels ask for ({@code format_tag::any}) from layer to
 * layer, and fuses each ReLU into the convolution (or sum) in front of it.
 *
 * <p>Numerics: the same oneDNN convolution kernels as DL4J's helper ({@code convolution_direct}); ReLU and sums are
 * exact, so outputs equal DL4J's to float tolerance (VGG16@150: bit-identical on a Zen 4; {@code OneDnnTrunkTest}).
 *
 * <p>Inputs and outputs are in the layout the graph was built in. Not thread-safe: the activation buffers are
 * shared by every plan and re-used by every call; the caller serialises calls (as for
 * {@code ComputationGraph.output}). Weights are copied at compile time: later changes to the source graph do not
 * reach this.
 */
final class OneDnnTrunk implements AutoCloseable {

    /** Whether oneDNN's natives load on this host, and which oneDNN (or the error). */
    record Availability(boolean loaded, String detail) {
    }

    /** A layer or vertex this engine does not translate (the caller runs the graph on DL4J instead). */
    static final class UnsupportedGraphException extends Exception {
        UnsupportedGraphException(String message) {
            super(message);
        }
    }

    /** Plans kept (least recently used dropped): serving's batch sizes vary with the requests batched together. */
    private static final int MAX_PLANS = 6;

    private static final class Natives {
        static final Availability AVAILABILITY = load();
        static dnnl_engine engine;

        private static Availability load() {
            try {
                Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                dnnl_version_t v = dnnl_version();
                dnnl_engine e = new dnnl_engine();
                check(dnnl_engine_create(e, dnnl_cpu, 0), "engine_create", "-");
                engine = e;
                return new Availability(true, "oneDNN " + v.major() + "." + v.minor() + "." + v.patch()
                        + " (JavaCPP dnnl presets), CPU ISA " + isaName(dnnl_get_effective_cpu_isa()));
            } catch (Throwable t) { // UnsatisfiedLinkError on another platform, or a missing jar
                return new Availability(false, t.toString());
            }
        }
    }

    /** @return whether oneDNN loads here; loads it on the first call */
    static Availability available() {
        return Natives.AVAILABILITY;
    }

    /**
     * @return whether the kernels oneDNN dispatches to here are at least {@code avx512_core} (the CPU's flags, less
     *         any cap set with {@code ONEDNN_MAX_CPU_ISA} / {@code DNNL_MAX_CPU_ISA}); false where oneDNN does not load
     */
    static boolean dispatchesAvx512Core() {
        if (!Natives.AVAILABILITY.loaded()) {
            return false;
        }
        int isa = dnnl_get_effective_cpu_isa();
        return (isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core;
    }

    /** @return the process's oneDNN CPU engine; only after {@link #available()} said loaded */
    static dnnl_engine engine() {
        if (!Natives.AVAILABILITY.loaded()) {
            throw new IllegalStateException("oneDNN is not available here: " + Natives.AVAILABILITY.detail());
        }
        return Natives.engine;
    }

    private static String isaName(int isa) {
        if (isa == dnnl_cpu_isa_avx512_core_amx) {
            return "avx512_core_amx";
        } else if (isa == dnnl_cpu_isa_avx512_core_bf16) {
            return "avx512_core_bf16";
        } else if (isa == dnnl_cpu_isa_avx512_core_vnni) {
            return "avx512_core_vnni";
        } else if (isa == dnnl_cpu_isa_avx512_core) {
            return "avx512_core";
        } else if (isa == dnnl_cpu_isa_avx2_vnni) {
            return "avx2_vnni";
        } else if (isa == dnnl_cpu_isa_avx2) {
            return "avx2";
        }
        return "0x" + Integer.toHexString(isa);
    }

    // ---- the program: what the graph computes, independent of the batch size ----

    private sealed interface Op permits Conv, Pool, Relu, Add {
        String name();
    }

    private record Conv(String name, String input, long out, long in, int kh, int kw, int sh, int sw,
                        ConvolutionMode mode, int ph, int pw, boolean relu, FloatPointer weights, FloatPointer bias)
            implements Op {
    }

    private record Pool(String name, String input, boolean max, int kh, int kw, int sh, int sw, ConvolutionMode mode,
                        int ph, int pw) implements Op {
    }

    private record Relu(String name, String input) implements Op {
    }

    private record Add(String name, String a, String b, boolean relu) implements Op {
    }

    private final List<String> inputs;
    private final List<String> outputs; // tensor names (after fusion) in the graph's output order
    private final List<Op> program;
    private final CNN2DFormat format;
    private final String summary;
    private final dnnl_stream stream;
    private final boolean winograd;
    private final List<FloatPointer> owned; // the plain weights and biases the programme's convolutions point at
    /** Bytes Winograd's re-ordered weights may add up to ({@link #WINOGRAD_WEIGHT_BUDGET} × the plain weights). */
    private final long winogradBudget;
    private final LinkedHashMap<String, Plan> plans = new LinkedHashMap<>(8, 0.75f, true);
    private boolean closed;

    private OneDnnTrunk(List<String> inputs, List<String> outputs, List<Op> program, CNN2DFormat format,
                        String summary, dnnl_stream stream, boolean winograd, List<FloatPointer> owned) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.program = program;
        this.format = format;
        this.summary = summary;
        this.stream = stream;
        this.winograd = winograd;
        this.owned = owned;
        long plain = 0;
        for (Op op : program) {
            if (op instanceof Conv c) {
                plain += 4L * c.out() * c.in() * c.kh() * c.kw();
            }
        }
        this.winogradBudget = (long) (WINOGRAD_WEIGHT_BUDGET * plain);
    }

    /**
     * Winograd's weights are 4× the plain 3×3 ones and oneDNN lays them out per batch size, so without a bound each
     * new batch size would add a copy (VGG16@150 after batch sizes 1, 2, 3, 4, 5, 8, 16: 488 MB against 56 MB of
     * plain weights). Re-ordered weights for Winograd are made only while all re-ordered weights stay within this
     * multiple of the plain ones (VGG16's batch-1 plan needs 2.9×); past it a plan's remaining 3×3 convolutions run
     * direct, sharing the one direct copy.
     */
    static final double WINOGRAD_WEIGHT_BUDGET = 3.0;

    /**
     * Translates {@code graph} (not modified, not kept) into oneDNN operations and copies its weights.
     *
     * @param graph  an initialised spatial graph without batch norms (fold them first: {@link BatchNormFolding})
     * @param format the layout of the graph's inputs and outputs
     * @throws UnsupportedGraphException naming the first vertex this engine does not translate
     * @throws IllegalStateException     when oneDNN is not available here
     */
    static OneDnnTrunk compile(ComputationGraph graph, CNN2DFormat format) throws UnsupportedGraphException {
        return compile(graph, format, false);
    }

    /**
     * As {@link #compile(ComputationGraph, CNN2DFormat)}; with {@code winograd}, every 3×3 stride-1 convolution for
     * which oneDNN has a Winograd kernel on this CPU (F(4×4, 3×3), AVX-512) runs on it: about half the
     * multiplications, outputs equal to the direct kernels' to a few units in the sixth significant digit (VGG16@150:
     * 2.4e-6 of the largest activation). The others, and every convolution on CPUs without it, run direct.
     */
    static OneDnnTrunk compile(ComputationGraph graph, CNN2DFormat format, boolean winograd)
            throws UnsupportedGraphException {
        if (!available().loaded()) {
            throw new IllegalStateException("oneDNN is not available: " + available().detail());
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = List.copyOf(conf.getNetworkInputs());
        Map<String, List<String>> vertexInputs = conf.getVertexInputs();
        Map<String, Integer> readers = new HashMap<>();
        for (List<String> in : vertexInputs.values()) {
            for (String s : in) {
                readers.merge(s, 1, Integer::sum);
            }
        }
        List<String> networkOutputs = conf.getNetworkOutputs();
        Map<String, String> alias = new HashMap<>(); // vertex -> the tensor that holds its output
        List<Op> program = new ArrayList<>();
        Map<String, Integer> opIndex = new HashMap<>();
        List<FloatPointer> owned = new ArrayList<>();
        int fused = 0;
        try {
            for (String name : conf.getTopologicalOrderStr()) {
                if (inputs.contains(name)) {
                    alias.put(name, name);
                    continue;
                }
                GraphVertex vertex = conf.getVertices().get(name);
                List<String> in = vertexInputs.get(name);
                String first = alias.get(in.get(0));
                if (vertex instanceof ElementWiseVertex ew) {
                    if (ew.getOp() != ElementWiseVertex.Op.Add || in.size() != 2) {
                        throw new UnsupportedGraphException("vertex '" + name + "': element-wise " + ew.getOp()
                                + " of " + in.size() + " inputs (only sums of two)");
                    }
                    opIndex.put(name, program.size());
                    program.add(new Add(name, first, alias.get(in.get(1)), false));
                    alias.put(name, name);
                    continue;
                }
                if (!(vertex instanceof LayerVertex lv) || lv.getPreProcessor() != null) {
                    throw new UnsupportedGraphException("vertex '" + name + "' is not a layer without pre-processor");
                }
                Layer layer = lv.getLayerConf().getLayer();
                if (layer.getClass() == ConvolutionLayer.class) {
                    ConvolutionLayer c = (ConvolutionLayer) layer;
                    int[] dil = c.getDilation();
                    if (dil[0] != 1 || dil[1] != 1) {
                        throw new UnsupportedGraphException("layer '" + name + "': dilated convolution");
                    }
                    boolean relu = isRelu(c.getActivationFn(), name);
                    INDArray w = graph.getLayer(name).getParam("W");
                    long[] ws = w.shape(); // [out, in, kh, kw] in both layouts
                    FloatPointer weights = floats(w, owned);
                    FloatPointer bias = c.hasBias() ? floats(graph.getLayer(name).getParam("b"), owned) : null;
                    opIndex.put(name, program.size());
                    program.add(new Conv(name, first, ws[0], ws[1], (int) ws[2], (int) ws[3], c.getStride()[0],
                            c.getStride()[1], mode(c.getConvolutionMode(), name), c.getPadding()[0],
                            c.getPadding()[1], relu, weights, bias));
                    alias.put(name, name);
                } else if (layer.getClass() == SubsamplingLayer.class) {
                    SubsamplingLayer s = (SubsamplingLayer) layer;
                    PoolingType type = s.getPoolingType();
                    if (type != PoolingType.MAX && type != PoolingType.AVG) {
                        throw new UnsupportedGraphException("layer '" + name + "': " + type + " pooling");
                    }
                    if (s.getDilation()[0] != 1 || s.getDilation()[1] != 1) {
                        throw new UnsupportedGraphException("layer '" + name + "': dilated pooling");
                    }
                    ConvolutionMode mode = mode(s.getConvolutionMode(), name);
                    if (type == PoolingType.AVG && (mode == ConvolutionMode.Same || s.getPadding()[0] != 0
                            || s.getPadding()[1] != 0)) {
                        throw new UnsupportedGraphException("layer '" + name + "': padded average pooling");
                    }
                    opIndex.put(name, program.size());
                    program.add(new Pool(name, first, type == PoolingType.MAX, s.getKernelSize()[0],
                            s.getKernelSize()[1], s.getStride()[0], s.getStride()[1], mode, s.getPadding()[0],
                            s.getPadding()[1]));
                    alias.put(name, name);
                } else if (layer.getClass() == ActivationLayer.class) {
                    if (!isRelu(((ActivationLayer) layer).getActivationFn(), name)) {
                        throw new UnsupportedGraphException("layer '" + name + "': activation other than ReLU");
                    }
                    String src = in.get(0);
                    Integer producer = opIndex.get(first);
                    boolean soleReader = readers.getOrDefault(src, 0) == 1 && !networkOutputs.contains(src)
                            && src.equals(first);
                    if (soleReader && producer != null && program.get(producer) instanceof Conv cv && !cv.relu()) {
                        program.set(producer, new Conv(cv.name, cv.input, cv.out, cv.in, cv.kh, cv.kw, cv.sh, cv.sw,
                                cv.mode, cv.ph, cv.pw, true, cv.weights, cv.bias));
                        alias.put(name, first);
                        fused++;
                    } else if (soleReader && producer != null && program.get(producer) instanceof Add ad
                            && !ad.relu()) {
                        program.set(producer, new Add(ad.name, ad.a, ad.b, true));
                        alias.put(name, first);
                        fused++;
                    } else {
                        opIndex.put(name, program.size());
                        program.add(new Relu(name, first));
                        alias.put(name, name);
                    }
                } else {
                    throw new UnsupportedGraphException("layer '" + name + "': " + layer.getClass().getSimpleName());
                }
            }
        } catch (UnsupportedGraphException | RuntimeException e) {
            owned.forEach(Pointer::close);
            throw e;
        }
        List<String> outputs = new ArrayList<>();
        for (String o : networkOutputs) {
            outputs.add(alias.get(o));
        }
        dnnl_stream stream = new dnnl_stream();
        check(dnnl_stream_create(stream, Natives.engine, dnnl_stream_default_flags), "stream_create", "-");
        long convs = program.stream().filter(Conv.class::isInstance).count();
        long withRelu = program.stream().filter(op -> op instanceof Conv c && c.relu() || op instanceof Add a && a.relu())
                .count();
        String summary = available().detail() + "; " + convs + " convolutions"
                + (winograd ? " (3x3 stride 1 on Winograd where oneDNN has it, else direct)" : " (direct)") + ", "
                + withRelu + " ReLUs fused into the convolution or sum in front (" + fused + " of them separate layers)";
        return new OneDnnTrunk(inputs, List.copyOf(outputs), List.copyOf(program), format, summary, stream, winograd,
                List.copyOf(owned));
    }

    private static boolean isRelu(IActivation fn, String name) throws UnsupportedGraphException {
        if (fn instanceof ActivationReLU r) {
            if (isPlainRelu(r)) {
                return true;
            }
            throw new UnsupportedGraphException("layer '" + name + "': ReLU with a cap, threshold or slope");
        }
        if (fn instanceof ActivationIdentity) {
            return false;
        }
        throw new UnsupportedGraphException("layer '" + name + "': activation " + fn);
    }

    private static boolean isPlainRelu(ActivationReLU r) {
        return (r.getMax() == null || r.getMax() == 0.0) && (r.getThreshold() == null || r.getThreshold() == 0.0)
                && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0.0);
    }

    private static ConvolutionMode mode(ConvolutionMode mode, String name) throws UnsupportedGraphException {
        if (mode == ConvolutionMode.Same || mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return mode == ConvolutionMode.Same ? ConvolutionMode.Same : ConvolutionMode.Truncate;
        }
        throw new UnsupportedGraphException("layer '" + name + "': convolution mode " + mode);
    }

    private static FloatPointer floats(INDArray array, List<FloatPointer> owned) {
        float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        FloatPointer p = new FloatPointer(values.length);
        p.put(values);
        owned.add(p);
        return p;
    }

    /** @return which oneDNN and what was translated, for logs */
    String describe() {
        return summary;
    }

    /**
     * The graph's outputs for {@code inputs}, in the graph's layout, detached from workspaces.
     *
     * @param inputs one rank-4 array per network input, in the graph's layout
     */
    INDArray[] output(INDArray... inputs) {
        if (closed) {
            throw new IllegalStateException("this oneDNN trunk is closed");
        }
        if (inputs.length != this.inputs.size()) {
            throw new IllegalArgumentException("the trunk takes " + this.inputs.size() + " inputs, got " + inputs.length);
        }
        INDArray[] dense = new INDArray[inputs.length];
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            INDArray x = inputs[i];
            if (x.rank() != 4) {
                throw new IllegalArgumentException("a spatial graph's inputs are rank 4, got shape "
                        + java.util.Arrays.toString(x.shape()));
            }
            boolean usable = x.dataType() == DataType.FLOAT && x.ordering() == 'c' && !x.isView() && x.offset() == 0;
            dense[i] = usable ? x : x.castTo(DataType.FLOAT).dup('c');
            key.append(java.util.Arrays.toString(x.shape()));
        }
        Plan plan = plans.get(key.toString());
        if (plan == null) {
            plan = new Plan(dims(dense));
            plans.put(key.toString(), plan);
            if (plans.size() > MAX_PLANS) {
                Map.Entry<String, Plan> eldest = plans.entrySet().iterator().next();
                plans.remove(eldest.getKey());
                eldest.getValue().close();
            }
        }
        try {
            return plan.run(dense);
        } finally {
            for (int i = 0; i < inputs.length; i++) {
                if (dense[i] != inputs[i]) {
                    dense[i].close();
                }
            }
        }
    }

    /** @return [n, c, h, w] per input */
    private long[][] dims(INDArray[] xs) {
        long[][] out = new long[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            long[] s = xs[i].shape();
            out[i] = format == CNN2DFormat.NHWC ? new long[] {s[0], s[3], s[1], s[2]} : s.clone();
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        plans.values().forEach(Plan::close);
        plans.clear();
        for (List<Weights> known : weights.values()) {
            for (Weights w : known) {
                dnnl_memory_destroy(w.memory());
                w.buffer().raw.close();
                w.md().close();
            }
        }
        weights.clear();
        slots.forEach(b -> b.raw.close());
        slots.clear();
        dnnl_stream_destroy(stream);
        owned.forEach(Pointer::close);
    }

    static void check(int status, String call, String layer) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + call + " failed with status " + status + " at '" + layer + "'");
        }
    }

    static dnnl_memory_desc_t plainDesc(long[] nchw, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, nchw.length, nchw, dnnl_f32, tag), "memory_desc_init", "-");
        return md;
    }

    /** Output size and the left/right padding of one spatial dimension, as DL4J computes them. */
    private static long[] geometry(long in, int k, int s, ConvolutionMode mode, int pad, String layer) {
        long out;
        long left;
        if (mode == ConvolutionMode.Same) {
            out = (in + s - 1) / s;
            long total = Math.max((out - 1) * s + k - in, 0);
            left = total / 2;
        } else {
            out = (in + 2L * pad - k) / s + 1;
            left = pad;
        }
        // the right padding the last window needs; 0 where the last input rows are skipped (oneDNN floors too)
        long right = Math.max((out - 1) * s + k - in - left, 0);
        if (out < 1 || (in + left + right - k) / s + 1 != out) {
            throw new IllegalStateException("layer '" + layer + "': input size " + in + " gives no valid output");
        }
        return new long[] {out, left, right};
    }

    // ---- a plan: the primitives and buffers for one input shape ----

    /** A 64-byte-aligned native buffer (here: re-used by activations whose lifetimes do not overlap). */
    static final class Buffer {
        final BytePointer raw;
        final Pointer aligned;
        final long size;

        Buffer(long size) {
            this.size = size;
            this.raw = new BytePointer(size + 64);
            long address = raw.address();
            this.aligned = new BytePointer(raw).position(((address + 63) & ~63L) - address);
        }
    }

    /** A layer's weights re-ordered into one kernel's layout. */
    private record Weights(dnnl_memory_desc_t md, dnnl_memory memory, Buffer buffer) {
    }

    private final Map<String, List<Weights>> weights = new HashMap<>();

    /**
     * Activation buffers shared by all plans (calls are serialised, so one plan runs at a time): slot {@code i} is as
     * large as the largest tensor any plan puts there. Plans bind their memories to the slots on every run, so a slot
     * can grow when a plan for a larger batch is built.
     */
    private final List<Buffer> slots = new ArrayList<>();

    private void ensureSlots(List<Long> sizes) {
        for (int i = 0; i < sizes.size(); i++) {
            if (i == slots.size()) {
                slots.add(new Buffer(sizes.get(i)));
            } else if (slots.get(i).size < sizes.get(i)) {
                slots.get(i).raw.close();
                slots.set(i, new Buffer(sizes.get(i)));
            }
        }
    }

    /** @param slot the activation slot holding it; -1 for memory bound to the caller's arrays */
    private record Tensor(dnnl_memory_desc_t md, dnnl_memory memory, long c, long h, long w, int slot) {
    }

    private record Step(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
    }

    private final class Plan implements AutoCloseable {
        private final List<Step> steps = new ArrayList<>();
        private final List<dnnl_primitive_desc> descs = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<Long> slotSizes = new ArrayList<>();
        private final List<Integer> freeSlots = new ArrayList<>();
        private final List<dnnl_memory> boundMemories = new ArrayList<>();
        private final List<Integer> boundSlots = new ArrayList<>();
        private final List<Pointer> keep = new ArrayList<>();
        private final dnnl_memory[] inputMemories;
        private final dnnl_memory[] outputMemories;
        private final long[][] outputShapes;

        Plan(long[][] inputDims) {
            boolean done = false;
            try {
                Map<String, Integer> reads = new HashMap<>();
                for (Op op : program) {
                    for (String s : sources(op)) {
                        reads.merge(s, 1, Integer::sum);
                    }
                }
                for (String o : outputs) {
                    reads.merge(o, 1, Integer::sum); // read by the final re-order
                }
                Map<String, Tensor> tensors = new HashMap<>();
                int tag = format == CNN2DFormat.NHWC ? dnnl_nhwc : dnnl_nchw;
                inputMemories = new dnnl_memory[inputs.size()];
                for (int i = 0; i < inputs.size(); i++) {
                    long[] d = inputDims[i];
                    dnnl_memory_desc_t md = keep(plainDesc(d, tag));
                    dnnl_memory m = memory(md, null);
                    inputMemories[i] = m;
                    tensors.put(inputs.get(i), new Tensor(md, m, d[1], d[2], d[3], -1));
                }
                long n = inputDims[0][0];
                for (Op op : program) {
                    Tensor out;
                    if (op instanceof Conv c) {
                        out = conv(c, tensors.get(c.input()), n);
                    } else if (op instanceof Pool p) {
                        out = pool(p, tensors.get(p.input()), n);
                    } else if (op instanceof Relu r) {
                        out = relu(r, tensors.get(r.input()));
                    } else {
                        Add a = (Add) op;
                        out = add(a, tensors.get(a.a()), tensors.get(a.b()));
                    }
                    tensors.put(op.name(), out);
                    for (String s : sources(op)) {
                        if (reads.merge(s, -1, Integer::sum) == 0) {
                            release(tensors.get(s));
                        }
                    }
                }
                outputMemories = new dnnl_memory[outputs.size()];
                outputShapes = new long[outputs.size()][];
                for (int i = 0; i < outputs.size(); i++) {
                    Tensor t = tensors.get(outputs.get(i));
                    long[] d = {n, t.c(), t.h(), t.w()};
                    dnnl_memory_desc_t md = keep(plainDesc(d, tag));
                    dnnl_memory m = memory(md, null);
                    outputMemories[i] = m;
                    outputShapes[i] = format == CNN2DFormat.NHWC ? new long[] {n, t.h(), t.w(), t.c()} : d;
                    reorderStep(t.memory(), t.md(), m, md, outputs.get(i));
                }
                ensureSlots(slotSizes);
                done = true;
            } finally {
                if (!done) {
                    close();
                }
            }
        }

        private List<String> sources(Op op) {
            if (op instanceof Conv c) {
                return List.of(c.input());
            } else if (op instanceof Pool p) {
                return List.of(p.input());
            } else if (op instanceof Relu r) {
                return List.of(r.input());
            }
            Add a = (Add) op;
            return List.of(a.a(), a.b());
        }

        private <T extends Pointer> T keep(T p) {
            keep.add(p);
            return p;
        }

        private dnnl_memory memory(dnnl_memory_desc_t md, Pointer handle) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, md, Natives.engine, handle), "memory_create", "-");
            memories.add(m);
            return m;
        }

        /** A free slot for {@code size} bytes: the smallest that fits, else the largest (grown), else a new one. */
        private int acquire(long size) {
            Integer fit = null;
            Integer largest = null;
            for (Integer i : freeSlots) {
                long free = slotSizes.get(i);
                if (free >= size && (fit == null || free < slotSizes.get(fit))) {
                    fit = i;
                }
                if (largest == null || free > slotSizes.get(largest)) {
                    largest = i;
                }
            }
            Integer best = fit != null ? fit : largest;
            if (best == null) {
                slotSizes.add(size);
                return slotSizes.size() - 1;
            }
            freeSlots.remove(best);
            slotSizes.set(best, Math.max(slotSizes.get(best), size));
            return best;
        }

        private void release(Tensor t) {
            if (t != null && t.slot() >= 0) {
                freeSlots.add(t.slot());
            }
        }

        /** A tensor in an activation slot, described by {@code md} (queried from a primitive: kept alive by it). */
        private Tensor pooled(dnnl_memory_desc_t md, long c, long h, long w) {
            int slot = acquire(dnnl_memory_desc_get_size(md));
            dnnl_memory m = memory(md, null); // bound to the slot's buffer on every run
            boundMemories.add(m);
            boundSlots.add(slot);
            return new Tensor(md, m, c, h, w, slot);
        }

        private dnnl_primitive_desc create(Pointer opDesc, dnnl_primitive_attr attr, String layer) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(opDesc), attr, Natives.engine, null),
                    "primitive_desc_create", layer);
            descs.add(pd);
            return pd;
        }

        private void step(dnnl_primitive_desc pd, String layer, int[] argIds, dnnl_memory[] mems) {
            dnnl_primitive prim = new dnnl_primitive();
            check(dnnl_primitive_create(prim, pd), "primitive_create", layer);
            dnnl_exec_arg_t args = keep(new dnnl_exec_arg_t(argIds.length));
            for (int i = 0; i < argIds.length; i++) {
                args.position(i).arg(argIds[i]).memory(mems[i]);
            }
            args.position(0);
            steps.add(new Step(prim, args, argIds.length));
        }

        private void reorderStep(dnnl_memory from, dnnl_memory_desc_t fromMd, dnnl_memory to,
                                 dnnl_memory_desc_t toMd, String layer) {
            dnnl_primitive_desc rpd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(rpd, fromMd, Natives.engine, toMd, Natives.engine, null),
                    "reorder_primitive_desc_create", layer);
            descs.add(rpd);
            step(rpd, layer, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory[] {from, to});
        }

        /** {@code t} in the layout {@code want}: itself, or a re-ordered copy (released after the caller's op). */
        private Tensor as(Tensor t, dnnl_memory_desc_t want, String layer, List<Tensor> temporaries) {
            if (dnnl_memory_desc_equal(want, t.md()) != 0) {
                return t;
            }
            Tensor copy = pooled(want, t.c(), t.h(), t.w());
            reorderStep(t.memory(), t.md(), copy.memory(), want, layer);
            temporaries.add(copy);
            return copy;
        }

        private dnnl_primitive_attr reluAttr(boolean relu) {
            if (!relu) {
                return null;
            }
            dnnl_post_ops po = new dnnl_post_ops();
            check(dnnl_post_ops_create(po), "post_ops_create", "-");
            check(dnnl_post_ops_append_eltwise(po, 1f, dnnl_eltwise_relu, 0f, 0f), "append_eltwise", "-");
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "attr_create", "-");
            check(dnnl_primitive_attr_set_post_ops(attr, po), "set_post_ops", "-");
            dnnl_post_ops_destroy(po);
            return attr;
        }

        private Tensor conv(Conv c, Tensor src, long n) {
            if (src.c() != c.in()) {
                throw new IllegalStateException("layer '" + c.name() + "' expects " + c.in() + " channels, got "
                        + src.c());
            }
            long[] gh = geometry(src.h(), c.kh(), c.sh(), c.mode(), c.ph(), c.name());
            long[] gw = geometry(src.w(), c.kw(), c.sw(), c.mode(), c.pw(), c.name());
            dnnl_memory_desc_t srcAny = keep(plainDesc(new long[] {n, c.in(), src.h(), src.w()}, dnnl_format_tag_any));
            dnnl_memory_desc_t wAny = keep(plainDesc(new long[] {c.out(), c.in(), c.kh(), c.kw()}, dnnl_format_tag_any));
            dnnl_memory_desc_t bPlain = c.bias() == null ? null : keep(plainDesc(new long[] {c.out()}, dnnl_x));
            dnnl_memory_desc_t dstAny = keep(plainDesc(new long[] {n, c.out(), gh[0], gw[0]}, dnnl_format_tag_any));
            long[] strides = {c.sh(), c.sw()};
            long[] padL = {gh[1], gw[1]};
            long[] padR = {gh[2], gw[2]};
            dnnl_convolution_desc_t desc = keep(new dnnl_convolution_desc_t());
            dnnl_primitive_attr attr = reluAttr(c.relu());
            dnnl_primitive_desc pd = null;
            try {
                if (winograd && c.kh() == 3 && c.kw() == 3 && c.sh() == 1 && c.sw() == 1
                        && dnnl_convolution_forward_desc_init(desc, dnnl_forward_inference, dnnl_convolution_winograd,
                        srcAny, wAny, bPlain, dstAny, strides, padL, padR) == dnnl_success) {
                    dnnl_primitive_desc wino = new dnnl_primitive_desc();
                    if (dnnl_primitive_desc_create(wino, new const_dnnl_op_desc_t(desc), attr, Natives.engine, null)
                            == dnnl_success) { // else no Winograd kernel for this shape or CPU: direct below
                        dnnl_memory_desc_t wmd = dnnl_primitive_desc_query_md(wino, dnnl_query_weights_md, 0);
                        if (hasWeights(c.name(), wmd)
                                || weightBytes() + dnnl_memory_desc_get_size(wmd) <= winogradBudget) {
                            descs.add(wino);
                            pd = wino;
                        } else {
                            dnnl_primitive_desc_destroy(wino); // over the weight budget: direct below
                        }
                    }
                }
                if (pd == null) {
                    check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_inference, dnnl_convolution_direct,
                            srcAny, wAny, bPlain, dstAny, strides, padL, padR), "convolution_forward_desc_init",
                            c.name());
                    pd = create(desc, attr, c.name());
                }
            } finally {
                if (attr != null) {
                    dnnl_primitive_attr_destroy(attr);
                }
            }
            List<Tensor> temporaries = new ArrayList<>();
            Tensor in = as(src, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), c.name(), temporaries);
            dnnl_memory weights = weightsFor(c, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
            Tensor out = pooled(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), c.out(), gh[0], gw[0]);
            if (c.bias() == null) {
                step(pd, c.name(), new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
                        new dnnl_memory[] {in.memory(), weights, out.memory()});
            } else {
                dnnl_memory bias = memory(bPlain, c.bias());
                step(pd, c.name(), new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                        new dnnl_memory[] {in.memory(), weights, bias, out.memory()});
            }
            temporaries.forEach(this::release);
            return out;
        }

        /**
         * The layer's weights in the layout {@code want}: re-ordered once per layout and shared by every plan whose
         * kernel wants that layout (batch sizes often share one), kept until the trunk closes.
         */
        private dnnl_memory weightsFor(Conv c, dnnl_memory_desc_t want) {
            List<Weights> known = weights.computeIfAbsent(c.name(), k -> new ArrayList<>());
            for (Weights w : known) {
                if (dnnl_memory_desc_equal(w.md(), want) != 0) {
                    return w.memory();
                }
            }
            dnnl_memory_desc_t md = new dnnl_memory_desc_t(); // a copy: `want` lives only as long as this plan
            Pointer.memcpy(md, want, Pointer.sizeof(dnnl_memory_desc_t.class));
            Buffer buffer = new Buffer(dnnl_memory_desc_get_size(md));
            dnnl_memory memory = new dnnl_memory();
            check(dnnl_memory_create(memory, md, Natives.engine, buffer.aligned), "memory_create", c.name());
            try {
                dnnl_memory_desc_t wPlain = keep(plainDesc(new long[] {c.out(), c.in(), c.kh(), c.kw()}, dnnl_oihw));
                runOnce(memory(wPlain, c.weights()), wPlain, memory, md, c.name());
            } catch (RuntimeException e) { // never keep weights that were not re-ordered
                dnnl_memory_destroy(memory);
                buffer.raw.close();
                md.close();
                throw e;
            }
            known.add(new Weights(md, memory, buffer));
            return memory;
        }

        /** Re-orders once, now (weights). */
        private void runOnce(dnnl_memory from, dnnl_memory_desc_t fromMd, dnnl_memory to, dnnl_memory_desc_t toMd,
                             String layer) {
            dnnl_primitive_desc rpd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(rpd, fromMd, Natives.engine, toMd, Natives.engine, null),
                    "reorder_primitive_desc_create", layer);
            dnnl_primitive prim = new dnnl_primitive();
            try {
                check(dnnl_primitive_create(prim, rpd), "primitive_create", layer);
                try (dnnl_exec_arg_t args = new dnnl_exec_arg_t(2)) {
                    args.position(0).arg(DNNL_ARG_FROM).memory(from);
                    args.position(1).arg(DNNL_ARG_TO).memory(to);
                    args.position(0);
                    check(dnnl_primitive_execute(prim, stream, 2, args), "primitive_execute", layer);
                    check(dnnl_stream_wait(stream), "stream_wait", layer);
                }
            } finally {
                dnnl_primitive_destroy(prim);
                dnnl_primitive_desc_destroy(rpd);
            }
        }

        private Tensor pool(Pool p, Tensor src, long n) {
            long[] gh = geometry(src.h(), p.kh(), p.sh(), p.mode(), p.ph(), p.name());
            long[] gw = geometry(src.w(), p.kw(), p.sw(), p.mode(), p.pw(), p.name());
            dnnl_memory_desc_t dstAny = keep(plainDesc(new long[] {n, src.c(), gh[0], gw[0]}, dnnl_format_tag_any));
            dnnl_pooling_desc_t desc = keep(new dnnl_pooling_desc_t());
            check(dnnl_pooling_forward_desc_init(desc, dnnl_forward_inference,
                    p.max() ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding, src.md(), dstAny,
                    new long[] {p.sh(), p.sw()}, new long[] {p.kh(), p.kw()}, new long[] {gh[1], gw[1]},
                    new long[] {gh[2], gw[2]}), "pooling_forward_desc_init", p.name());
            dnnl_primitive_desc pd = create(desc, null, p.name());
            List<Tensor> temporaries = new ArrayList<>();
            Tensor in = as(src, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), p.name(), temporaries);
            Tensor out = pooled(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), src.c(), gh[0], gw[0]);
            step(pd, p.name(), new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}, new dnnl_memory[] {in.memory(), out.memory()});
            temporaries.forEach(this::release);
            return out;
        }

        private Tensor relu(Relu r, Tensor src) {
            dnnl_eltwise_desc_t desc = keep(new dnnl_eltwise_desc_t());
            check(dnnl_eltwise_forward_desc_init(desc, dnnl_forward_inference, dnnl_eltwise_relu, src.md(), 0f, 0f),
                    "eltwise_forward_desc_init", r.name());
            dnnl_primitive_desc pd = create(desc, null, r.name());
            Tensor out = pooled(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), src.c(), src.h(), src.w());
            step(pd, r.name(), new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}, new dnnl_memory[] {src.memory(), out.memory()});
            return out;
        }

        private Tensor add(Add a, Tensor x, Tensor y) {
            if (x.c() != y.c() || x.h() != y.h() || x.w() != y.w()) {
                throw new IllegalStateException("vertex '" + a.name() + "' adds arrays of different shapes");
            }
            List<Tensor> temporaries = new ArrayList<>();
            Tensor y2 = as(y, x.md(), a.name(), temporaries);
            dnnl_binary_desc_t desc = keep(new dnnl_binary_desc_t());
            check(dnnl_binary_desc_init(desc, dnnl_binary_add, x.md(), y2.md(), x.md()), "binary_desc_init", a.name());
            dnnl_primitive_attr attr = reluAttr(a.relu());
            dnnl_primitive_desc pd;
            try {
                pd = create(desc, attr, a.name());
            } finally {
                if (attr != null) {
                    dnnl_primitive_attr_destroy(attr);
                }
            }
            Tensor out = pooled(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), x.c(), x.h(), x.w());
            step(pd, a.name(), new int[] {DNNL_ARG_SRC_0, DNNL_ARG_SRC_1, DNNL_ARG_DST},
                    new dnnl_memory[] {x.memory(), y2.memory(), out.memory()});
            temporaries.forEach(this::release);
            return out;
        }

        INDArray[] run(INDArray[] xs) {
            for (int i = 0; i < boundMemories.size(); i++) {
                check(dnnl_memory_set_data_handle(boundMemories.get(i), slots.get(boundSlots.get(i)).aligned),
                        "memory_set_data_handle", "-");
            }
            for (int i = 0; i < xs.length; i++) {
                check(dnnl_memory_set_data_handle(inputMemories[i], xs[i].data().addressPointer()),
                        "memory_set_data_handle", inputs.get(i));
            }
            INDArray[] out = new INDArray[outputMemories.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Nd4j.createUninitializedDetached(DataType.FLOAT, outputShapes[i]);
                check(dnnl_memory_set_data_handle(outputMemories[i], out[i].data().addressPointer()),
                        "memory_set_data_handle", outputs.get(i));
            }
            for (Step s : steps) {
                check(dnnl_primitive_execute(s.primitive(), stream, s.count(), s.args()), "primitive_execute", "-");
            }
            check(dnnl_stream_wait(stream), "stream_wait", "-");
            return out;
        }

        @Override
        public void close() {
            for (Step s : steps) {
                dnnl_primitive_destroy(s.primitive());
            }
            steps.clear();
            for (dnnl_memory m : memories) {
                dnnl_memory_destroy(m);
            }
            memories.clear();
            for (dnnl_primitive_desc pd : descs) {
                dnnl_primitive_desc_destroy(pd);
            }
            descs.clear();
            boundMemories.clear();
            boundSlots.clear();
            keep.forEach(Pointer::close);
            keep.clear();
        }
    }

    /** @return the bytes Winograd's weights may bring the re-ordered weights to ({@link #WINOGRAD_WEIGHT_BUDGET}) */
    long winogradBudget() {
        return winogradBudget;
    }

    private boolean hasWeights(String layer, dnnl_memory_desc_t md) {
        for (Weights w : weights.getOrDefault(layer, List.of())) {
            if (dnnl_memory_desc_equal(w.md(), md) != 0) {
                return true;
            }
        }
        return false;
    }

    /** @return bytes of re-ordered weights held (one copy per layer and layout the kernels asked for) */
    long weightBytes() {
        return weights.values().stream().flatMap(List::stream).mapToLong(w -> w.buffer().size).sum();
    }

    /** @return bytes of activation buffers held (shared by all plans), for tests */
    long activationBytes() {
        return slots.stream().mapToLong(b -> b.size).sum();
    }

    /** @return the names of the primitives' implementations, for tests and logs (first plan only) */
    List<String> implementations() {
        List<String> names = new ArrayList<>();
        for (Plan p : plans.values()) {
            for (dnnl_primitive_desc pd : p.descs) {
                PointerPointer<BytePointer> out = new PointerPointer<>(1);
                if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out) == dnnl_success) {
                    names.add(out.get(BytePointer.class, 0).getString());
                }
                out.close();
            }
            break;
        }
        return names;
    }
}
