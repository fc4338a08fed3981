package io.img2rec.core.model;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The natives of one set of oneDNN primitives a training helper runs ({@link OneDnnConvolutionHelper},
 * {@link OneDnnBatchNormHelper}): descriptors, primitives, memories and their buffers, and the runs (a primitive with
 * its bound arguments) in the order they execute. Memories made without a buffer are bound to the callers' ND4J
 * arrays on every call ({@link #bind}). Everything is released by {@link #close}. Not thread-safe.
 */
class OneDnnPrimitives implements AutoCloseable {
    private final List<Pointer> owned = new ArrayList<>();
    private final List<dnnl_primitive_desc> descs = new ArrayList<>();
    private final List<dnnl_primitive> primitives = new ArrayList<>();
    private final List<dnnl_memory> memories = new ArrayList<>();
    /** The layer these primitives serve, for errors. */
    final String layer;
    /** Bytes of the buffers oneDNN owns here (re-ordered copies, statistics). */
    long bufferBytes;

    /** A primitive with its arguments, executed by {@link #execute}. */
    record Run(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
    }

    OneDnnPrimitives(String layer) {
        this.layer = layer;
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    /** @return a copy of what {@code pd} says of {@code what} (a {@code dnnl_query_*_md}) */
    dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        dnnl_memory_desc_t md = keep(new dnnl_memory_desc_t());
        Pointer.memcpy(md, dnnl_primitive_desc_query_md(pd, what, 0), Pointer.sizeof(dnnl_memory_desc_t.class));
        return md;
    }

    dnnl_memory_desc_t md(long[] dims, int tag) {
        return keep(OneDnnTrunk.plainDesc(dims, tag));
    }

    /** @param desc an operation descriptor ({@code dnnl_*_desc_t}); {@code hint}: the forward one of a backward */
    dnnl_primitive_desc create(Pointer desc, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        OneDnnTrunk.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), null,
                OneDnnTrunk.engine(), hint), "primitive_desc_create", layer);
        descs.add(pd);
        return pd;
    }

    /** @param buffer whether the memory gets a buffer of its own (else the caller's, bound per call) */
    dnnl_memory memory(dnnl_memory_desc_t md, boolean buffer) {
        Pointer handle = null;
        if (buffer) {
            OneDnnTrunk.Buffer b = new OneDnnTrunk.Buffer(dnnl_memory_desc_get_size(md));
            keep(b.raw);
            handle = b.aligned;
            bufferBytes += b.size;
        }
        dnnl_memory m = new dnnl_memory();
        OneDnnTrunk.check(dnnl_memory_create(m, md, OneDnnTrunk.engine(), handle), "memory_create", layer);
        memories.add(m);
        return m;
    }

    /** {@code user} in layout {@code want}: itself, or a buffer it is re-ordered into first in {@code runs}. */
    dnnl_memory into(List<Run> runs, dnnl_memory user, dnnl_memory_desc_t userMd, dnnl_memory_desc_t want) {
        if (same(want, userMd)) {
            return user;
        }
        dnnl_memory m = memory(want, true);
        reorder(runs, user, userMd, m, want);
        return m;
    }

    void reorder(List<Run> runs, dnnl_memory from, dnnl_memory_desc_t fromMd, dnnl_memory to,
                 dnnl_memory_desc_t toMd) {
        dnnl_primitive_desc rpd = new dnnl_primitive_desc();
        OneDnnTrunk.check(dnnl_reorder_primitive_desc_create(rpd, fromMd, OneDnnTrunk.engine(), toMd,
                OneDnnTrunk.engine(), null), "reorder_primitive_desc_create", layer);
        descs.add(rpd);
        run(runs, rpd, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, from, to);
    }

    /** Adds {@code pd}'s primitive to {@code runs}, with {@code mems[i]} as argument {@code argIds[i]}. */
    void run(List<Run> runs, dnnl_primitive_desc pd, int[] argIds, dnnl_memory... mems) {
        dnnl_primitive prim = new dnnl_primitive();
        OneDnnTrunk.check(dnnl_primitive_create(prim, pd), "primitive_create", layer);
        primitives.add(prim);
        dnnl_exec_arg_t args = keep(new dnnl_exec_arg_t(argIds.length));
        for (int i = 0; i < argIds.length; i++) {
            args.position(i).arg(argIds[i]).memory(mems[i]);
        }
        args.position(0);
        runs.add(new Run(prim, args, argIds.length));
    }

    <T extends Pointer> T keep(T p) {
        owned.add(p);
        return p;
    }

    /** @return whether {@code a}'s elements lie one after another in c order (dimensions of size 1 aside) */
    static boolean denseC(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** @return {@code a} if c-ordered with default strides (its buffer can be handed to oneDNN), else a copy */
    static INDArray dense(INDArray a) {
        return denseC(a) ? a : a.dup('c');
    }

    /**
     * Parameter and gradient views are read or written in place: they must be dense float already (DL4J's are).
     *
     * @return {@code a}
     */
    static INDArray inPlace(INDArray a, String layer, String what) {
        if (a.dataType() != DataType.FLOAT || !denseC(a)) {
            throw new IllegalStateException("layer '" + layer + "': " + what + " is not a dense float c-order view,"
                    + " shape " + Arrays.toString(a.shape()) + " strides " + Arrays.toString(a.stride()));
        }
        return a;
    }

    /** The address of an array's first element (ND4J's buffer pointer of a view already points there). */
    static Pointer address(INDArray a) {
        return a.data().addressPointer();
    }

    /** Points {@code m} at {@code a}'s first element. */
    void bind(dnnl_memory m, INDArray a) {
        OneDnnTrunk.check(dnnl_memory_set_data_handle(m, address(a)), "memory_set_data_handle", layer);
    }

    void execute(dnnl_stream stream, List<Run> runs) {
        for (Run r : runs) {
            OneDnnTrunk.check(dnnl_primitive_execute(r.primitive(), stream, r.count(), r.args()),
                    "primitive_execute", layer);
        }
        OneDnnTrunk.check(dnnl_stream_wait(stream), "stream_wait", layer);
    }

    @Override
    public void close() {
        primitives.forEach(p -> dnnl_primitive_destroy(p));
        primitives.clear();
        memories.forEach(m -> dnnl_memory_destroy(m));
        memories.clear();
        descs.forEach(d -> dnnl_primitive_desc_destroy(d));
        descs.clear();
        owned.forEach(Pointer::close);
        owned.clear();
    }
}
