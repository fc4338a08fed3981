package io.img2rec.train.loop;

import io.img2rec.core.nativeio.FloatArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Adam for a dense top, on the heap: the two moments of the dense layer's weights are held as Java arrays, one per
 * output unit, while {@link DenseTopStep} trains, and the weight gradient {@code xᵀ·δ} is computed column by
 * column in the same pass that updates the column, so the 2.1 M-element gradient is never written to memory. The
 * graph's own arrays stay the owners: each column's new weights are written into the graph's parameter array at
 * once (the next forward pass reads them there), the moments by {@link #flush} (before anything reads the updater
 * state: a checkpoint, a clone, the next epoch).
 *
 * <p>The arithmetic is libnd4j's: {@code g /= batch}, {@code updaterAdam.cpp}'s float operations in its order, then
 * {@code p −= u} ({@link #adam}); the weight gradient sums the batch's rows in order with one fused multiply-add
 * each, which is what OpenBLAS's AVX-512 kernel ({@code OPENBLAS_CORETYPE=SkylakeX}) computes, bit for bit. Other
 * kernels sum in other orders, so there results equal DL4J's to float rounding only (docs/performance.md,
 * "Phase 1 on the heap"). Columns are independent, so splitting them across threads changes no result.
 *
 * <p>Layout (checked by {@link #fits}): the flattened parameter, gradient and moment arrays start with the dense
 * weights in DL4J's {@code 'f'} order ({@code [inputs, units]}, column {@code j} at {@code j·inputs}); what follows
 * (dense bias, output layer) is the tail, whose gradient DL4J's ops have written.
 */
final class HeapAdam {
    private final int inputs;
    private final int units;
    private final int tailLength;
    private final INDArray params;
    private final INDArray gradient;
    private final INDArray m;
    private final INDArray v;
    private final float[][] weightsM;
    private final float[][] weightsV;
    private final float[] tail;
    private final float[] tailM;
    private final float[] tailV;
    private final float[] tailGradient;
    private final int parts;
    private float[][] rows = new float[0][];

    private HeapAdam(INDArray params, INDArray gradient, INDArray m, INDArray v, int inputs, int units) {
        this.params = params;
        this.gradient = gradient;
        this.m = m;
        this.v = v;
        this.inputs = inputs;
        this.units = units;
        this.tailLength = (int) (params.length() - (long) inputs * units);
        this.weightsM = columns(m);
        this.weightsV = columns(v);
        this.tail = tail(params);
        this.tailM = tail(m);
        this.tailV = tail(v);
        this.tailGradient = new float[tailLength];
        // columns are independent: one part per core (at most 4; the pass is memory-bound beyond that)
        this.parts = Math.max(1, Math.min(4, Math.min(units, Runtime.getRuntime().availableProcessors())));
    }

    /**
     * True when the four flattened arrays are plain float vectors of one length that begins with an
     * {@code [inputs, units]} {@code 'f'}-order weight view {@code w}.
     */
    static boolean fits(INDArray params, INDArray gradient, INDArray m, INDArray v, INDArray w, INDArray gradientW) {
        long length = params.length();
        for (INDArray a : new INDArray[] {params, gradient, m, v}) {
            if (a.length() != length || a.elementWiseStride() != 1 || a.dataType() != DataType.FLOAT
                    || a.length() > Integer.MAX_VALUE) {
                return false;
            }
        }
        return columnMajorAt(w, params) && columnMajorAt(gradientW, gradient) && w.size(0) * w.size(1) < length;
    }

    private static boolean columnMajorAt(INDArray w, INDArray flat) {
        return w.rank() == 2 && w.dataType() == DataType.FLOAT && w.stride(0) == 1 && w.stride(1) == w.size(0)
                && w.data().address() + 4 * w.offset() == flat.data().address() + 4 * flat.offset();
    }

    /** Copies the graph's Adam moments (and the tail's parameters) onto the heap. */
    static HeapAdam load(INDArray params, INDArray gradient, INDArray m, INDArray v, int inputs, int units) {
        return new HeapAdam(params, gradient, m, v, inputs, units);
    }

    private float[][] columns(INDArray flat) {
        FloatBuffer buffer = flat.data().asNioFloat();
        float[][] out = new float[units][inputs];
        for (int j = 0; j < units; j++) {
            buffer.get((int) flat.offset() + j * inputs, out[j], 0, inputs);
        }
        return out;
    }

    private float[] tail(INDArray flat) {
        float[] out = new float[tailLength];
        flat.data().asNioFloat().get((int) flat.offset() + inputs * units, out, 0, tailLength);
        return out;
    }

    /**
     * One update: the tail from the gradient DL4J's ops wrote, the dense weights from {@code x} ({@code [n, inputs]})
     * and {@code delta} ({@code [n, units]}, the loss gradient at the dense layer's pre-activation); the new
     * parameters go back into the graph's array.
     */
    void step(Coefficients c, int batch, INDArray x, INDArray delta) {
        int n = (int) x.size(0);
        loadRows(x, n);
        float[][] d = FloatArrays.rows(delta);
        gradient.data().asNioFloat().get((int) gradient.offset() + inputs * units, tailGradient, 0, tailLength);
        adam(c, batch, tailGradient, tail, tailM, tailV);
        params.data().asNioFloat().put((int) params.offset() + inputs * units, tail, 0, tailLength);
        if (parts == 1) {
            columns(0, units, n, d, c, batch);
        } else {
            IntStream.range(0, parts).parallel()
                    .forEach(part -> columns(part * units / parts, (part + 1) * units / parts, n, d, c, batch));
        }
    }

    private void columns(int from, int to, int n, float[][] d, Coefficients c, int batch) {
        FloatBuffer out = params.data().asNioFloat();
        int base = (int) params.offset();
        float[] g = new float[inputs];
        float[] w = new float[inputs];
        for (int j = from; j < to; j++) {
            out.get(base + j * inputs, w, 0, inputs);
            Arrays.fill(g, 0f);
            int k = 0;
            for (; k + 4 <= n; k += 4) {
                fma4(g, rows[k], rows[k + 1], rows[k + 2], rows[k + 3], d[k][j], d[k + 1][j], d[k + 2][j],
                        d[k + 3][j]);
            }
            for (; k < n; k++) {
                fma1(g, rows[k], d[k][j]);
            }
            adam(c, batch, g, w, weightsM[j], weightsV[j]);
            out.put(base + j * inputs, w, 0, inputs);
        }
    }

    private void loadRows(INDArray x, int n) {
        if (x.size(1) != inputs) {
            throw new IllegalArgumentException("input has " + x.size(1) + " features, the dense layer " + inputs);
        }
        if (rows.length < n) {
            float[][] grown = Arrays.copyOf(rows, n);
            for (int k = rows.length; k < n; k++) {
                grown[k] = new float[inputs];
            }
            rows = grown;
        }
        FloatArrays.copyRows(x, rows);
    }

    // Separate small loops over whole arrays with no offsets: the shape HotSpot's C2 vectorises (PhaseOneProbe's
    // "floor" mode times this loop alone).
    static void fma4(float[] y, float[] x0, float[] x1, float[] x2, float[] x3, float a0, float a1, float a2,
                     float a3) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.fma(x3[i], a3, Math.fma(x2[i], a2, Math.fma(x1[i], a1, Math.fma(x0[i], a0, y[i]))));
        }
    }

    private static void fma1(float[] y, float[] x, float a) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.fma(x[i], a, y[i]);
        }
    }

    /** Writes the moments back into the graph's updater state. */
    void flush() {
        store(m, weightsM, tailM);
        store(v, weightsV, tailV);
    }

    private void store(INDArray flat, float[][] columns, float[] tailValues) {
        FloatBuffer buffer = flat.data().asNioFloat();
        int base = (int) flat.offset();
        for (int j = 0; j < units; j++) {
            buffer.put(base + j * inputs, columns[j], 0, inputs);
        }
        buffer.put(base + inputs * units, tailValues, 0, tailLength);
    }

    /** Adam's per-iteration constants, as libnd4j computes them ({@code α_t} partly in double). */
    record Coefficients(float alpha, float beta1, float beta2, float epsilon) {
        static Coefficients of(float lr, float beta1, float beta2, float epsilon, int iteration) {
            float t = (float) iteration + 1;
            float beta1T = (float) Math.pow(beta1, t);
            float beta2T = (float) Math.pow(beta2, t);
            float alpha = (float) ((lr * (float) Math.sqrt((float) (1.0 - beta2T))) / (1.0 - beta1T));
            if (Float.isNaN(alpha) || alpha == 0 || Float.isInfinite(alpha)) {
                alpha = epsilon;
            }
            return new Coefficients(alpha, beta1, beta2, epsilon);
        }
    }

    /**
     * {@code g /= batch}, libnd4j's Adam (M2.1 {@code updaterAdam.cpp}: {@code m = β1·m + g·(1−β1)},
     * {@code v = β2·v + g·g·(1−β2)}, {@code u = m·α_t / (√v + ε)}, its float operations in its order) and
     * {@code p −= u}, over whole arrays of one length; {@code g} is left holding the update, as DL4J leaves its
     * gradient. Java's float arithmetic is IEEE 754 like the C++ loop's, which that build compiles without FMA
     * contraction ({@code DenseTopStepTest} checks the equality bit for bit).
     */
    static void adam(Coefficients c, int batch, float[] g, float[] p, float[] m, float[] v) {
        float beta1 = c.beta1();
        float beta2 = c.beta2();
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        float alpha = c.alpha();
        float epsilon = c.epsilon();
        float divisor = batch;
        for (int i = 0; i < g.length; i++) {
            float gi = g[i] / divisor;
            float mi = beta1 * m[i] + gi * keep1;
            float vi = beta2 * v[i] + gi * gi * keep2;
            float update = (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
            m[i] = mi;
            v[i] = vi;
            g[i] = update;
            p[i] = p[i] - update;
        }
    }
}
