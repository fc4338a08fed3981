package io.img2rec.core.nativeio;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
