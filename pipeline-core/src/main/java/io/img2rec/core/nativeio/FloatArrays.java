package io.img2rec.core.nativeio;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Heap floats into a new native array in one bulk copy, and a matrix's rows back onto the heap one bulk copy per
 * row. {@code Nd4j.create(float[], shape, 'c')} copies element by element: 350 µs for a batch of sixteen
 * 8,192-float rows against 30 µs for this (measured 2026-12-04, Zen 4), and training builds thousands of such
 * batches from its cache (docs/performance.md, "Phase 1 profiled in the job"); {@code INDArray.toFloatMatrix()}
 * reads element by element too (0.6–0.9 ms for a 16 × 256 matrix, 2026-12-07, Zen 4). The values are the same, bit
 * for bit.
 */
public final class FloatArrays {
    private FloatArrays() {
    }

    /**
     * @param values exactly as many floats as {@code shape} holds, in C order
     * @return a new C-order float array of {@code shape} holding {@code values}
     */
    public static INDArray of(float[] values, long... shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape)
                    + " (" + size + " elements)");
        }
        if (size == 0) {
            return Nd4j.create(DataType.FLOAT, shape, 'c');
        }
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        array.data().asNioFloat().put(values);
        return array;
    }

    /**
     * Copies a 2-D matrix's rows into {@code into}, whose first {@code matrix.size(0)} rows must each hold exactly
     * {@code matrix.size(1)} floats; other types are cast to float first, other orders and views copied to a dense
     * C-order array first (as {@code toFloatMatrix()} would read them).
     */
    public static void copyRows(INDArray matrix, float[][] into) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("a matrix is needed, got shape " + Arrays.toString(matrix.shape()));
        }
        int rows = Math.toIntExact(matrix.size(0));
        int columns = Math.toIntExact(matrix.size(1));
        if (into.length < rows) {
            throw new IllegalArgumentException(rows + " rows do not fit into " + into.length);
        }
        if (rows == 0 || columns == 0) {
            return;
        }
        INDArray dense = matrix.dataType() == DataType.FLOAT && matrix.ordering() == 'c'
                && matrix.elementWiseStride() == 1 && matrix.stride(0) == columns
                ? matrix : matrix.castTo(DataType.FLOAT).dup('c');
        FloatBuffer buffer = dense.data().asNioFloat();
        int offset = Math.toIntExact(dense.offset());
        for (int r = 0; r < rows; r++) {
            if (into[r].length != columns) {
                throw new IllegalArgumentException("row " + r + " holds " + into[r].length + " floats, the matrix has "
                        + columns + " columns");
            }
            buffer.get(offset + r * columns, into[r], 0, columns);
        }
    }

    /** A 2-D matrix's rows as new heap arrays: {@code toFloatMatrix()}'s values in one bulk copy per row. */
    public static float[][] rows(INDArray matrix) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("a matrix is needed, got shape " + Arrays.toString(matrix.shape()));
        }
        float[][] out = new float[Math.toIntExact(matrix.size(0))][Math.toIntExact(matrix.size(1))];
        copyRows(matrix, out);
        return out;
    }
}
