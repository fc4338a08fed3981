package io.img2rec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleAverageTest {

    @Test
    void equalWeightsTakeTheMean() {
        // (0.2 + 0.6)/2 = 0.4, (1.0 + 0.0)/2 = 0.5
        assertArrayEquals(new double[] {0.4, 0.5},
                EnsembleAverage.of(List.of(new double[] {0.2, 1.0}, new double[] {0.6, 0.0})), 1e-12);
    }

    @Test
    void weightsAreNormalised() {
        // weights 3:1 -> (3*0.2 + 1*0.6)/4 = 0.3, (3*1.0 + 0)/4 = 0.75
        assertArrayEquals(new double[] {0.3, 0.75}, EnsembleAverage.of(
                List.of(new double[] {0.2, 1.0}, new double[] {0.6, 0.0}), new double[] {3, 1}), 1e-12);
    }

    @Test
    void nanPropagatesUnlessItsModelHasWeightZero() {
        double[] avg = EnsembleAverage.of(List.of(new double[] {0.2, Double.NaN}, new double[] {0.6, 0.4}));
        assertTrue(Double.isNaN(avg[1]));
        assertArrayEquals(new double[] {0.6, 0.4}, EnsembleAverage.of(
                List.of(new double[] {0.2, Double.NaN}, new double[] {0.6, 0.4}), new double[] {0, 1}), 1e-12);
    }

    @Test
    void inconsistentInputsAreRejectedWithContext() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EnsembleAverage.of(List.of(new double[] {0.1, 0.2}, new double[] {0.3})));
        assertTrue(e.getMessage().contains("model 1 has 1 scores"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> EnsembleAverage.of(List.of(new double[] {0.1}), new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> EnsembleAverage.of(List.of(new double[] {0.1}), new double[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> EnsembleAverage.of(List.of()));
    }
}
