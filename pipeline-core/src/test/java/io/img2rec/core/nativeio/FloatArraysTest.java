package io.img2rec.core.nativeio;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatArraysTest {
    @Test
    void holdsTheSameFloatsInTheSameShapeAsNd4jCreate() {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[3 * 5 * 4 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        values[1] = Float.NaN;
        values[2] = -0.0f;
        values[3] = Float.MIN_VALUE;
        long[] shape = {3, 5, 4, 2};
        INDArray ours = FloatArrays.of(values, shape);
        INDArray theirs = Nd4j.create(values, shape, 'c');
        assertArrayEquals(shape, ours.shape());
        assertEquals('c', ours.ordering());
        assertEquals(DataType.FLOAT, ours.dataType());
        float[] back = ours.data().asFloat();
        float[] expected = theirs.data().asFloat();
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
        assertEquals(theirs.getFloat(2, 4, 3, 1), ours.getFloat(2, 4, 3, 1));
    }

    @Test
    void aLengthThatDoesNotMatchTheShapeIsRefusedAndAnEmptyShapeGivesAnEmptyArray() {
        var e = assertThrows(IllegalArgumentException.class, () -> FloatArrays.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("5 values for shape [2, 3] (6 elements)"), e.getMessage());
        INDArray empty = FloatArrays.of(new float[0], 0, 4);
        assertTrue(empty.isEmpty());
        assertArrayEquals(new long[] {0, 4}, empty.shape());
    }

    @Test
    void rowsHoldWhatToFloatMatrixReadsForDenseArraysViewsOtherOrdersAndTypes() {
        INDArray c = Nd4j.randn(DataType.FLOAT, 7, 11);
        c.putScalar(0, 1, Float.NaN);
        c.putScalar(3, 2, -0.0f);
        c.putScalar(6, 10, Float.MIN_VALUE);
        INDArray[] cases = {c, c.dup('f'), c.get(NDArrayIndex.interval(2, 6),
                NDArrayIndex.interval(3, 9)), c.get(NDArrayIndex.interval(1, 4),
                NDArrayIndex.all()), c.castTo(DataType.DOUBLE), Nd4j.zeros(DataType.FLOAT, 0, 3)};
        for (INDArray matrix : cases) {
            float[][] expected = matrix.isEmpty() ? new float[0][] : matrix.toFloatMatrix();
            float[][] ours = FloatArrays.rows(matrix);
            assertEquals(expected.length, ours.length);
            for (int r = 0; r < expected.length; r++) {
                assertEquals(expected[r].length, ours[r].length);
                for (int k = 0; k < expected[r].length; k++) {
                    assertEquals(Float.floatToRawIntBits(expected[r][k]), Float.floatToRawIntBits(ours[r][k]),
                            "row " + r + ", column " + k + " of " + Arrays.toString(matrix.shape()));
                }
            }
        }
        // into longer arrays: only the matrix's rows are written
        float[][] into = new float[9][11];
        into[8][0] = 42f;
        FloatArrays.copyRows(c, into);
        assertEquals(c.getFloat(6, 4), into[6][4]);
        assertEquals(42f, into[8][0]);
    }

    @Test
    void rowsOfTheWrongLengthOrTooFewAreRefused() {
        INDArray m = Nd4j.ones(DataType.FLOAT, 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> FloatArrays.copyRows(m, new float[2][4]));
        assertTrue(e.getMessage().contains("row 0 holds 4 floats, the matrix has 3 columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FloatArrays.copyRows(m, new float[1][3]));
        assertTrue(e.getMessage().contains("2 rows do not fit into 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FloatArrays.rows(Nd4j.ones(DataType.FLOAT, 2, 3, 4)));
        assertTrue(e.getMessage().contains("a matrix is needed"), e.getMessage());
    }
}
