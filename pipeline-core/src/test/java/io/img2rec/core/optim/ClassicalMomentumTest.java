package io.img2rec.core.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassicalMomentumTest {
    private static final double LR = 0.1;
    private static final double MU = 0.9;
    private static final double[] GRADIENTS = {1.0, 0.5, -0.25, 2.0};

    /** Runs θ ← θ − update for a scalar parameter through a DL4J updater; returns θ after each step. */
    private static double[] trajectory(GradientUpdater<?> updater) {
        double theta = 0;
        double[] out = new double[GRADIENTS.length];
        for (int t = 0; t < GRADIENTS.length; t++) {
            INDArray g = Nd4j.scalar(DataType.DOUBLE, GRADIENTS[t]).reshape(1, 1);
            updater.applyUpdater(g, t, 0);
            theta -= g.getDouble(0);
            out[t] = theta;
        }
        return out;
    }

    @Test
    void matchesKerasSgdWithMomentumStepByStep() {
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 1);
        double[] theta = trajectory(new ClassicalMomentum(LR, MU).instantiate(state, true));
        // Keras 2.2 SGD: v = mu*v - lr*g; p = p + v, computed here by hand
        double v = 0;
        double p = 0;
        for (int t = 0; t < GRADIENTS.length; t++) {
            v = MU * v - LR * GRADIENTS[t];
            p += v;
            assertEquals(p, theta[t], 1e-12, "step " + t);
        }
        assertEquals(v, state.getDouble(0), 1e-12, "the velocity lives in DL4J's updater state view");
    }

    @Test
    void nesterovFromDl4jTakesVisiblyDifferentSteps() {
        double[] classical = trajectory(new ClassicalMomentum(LR, MU).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, 1), true));
        double[] nesterov = trajectory(new Nesterovs(LR, MU).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, 1), true));
        // First step: classical moves by lr*g = 0.1; Nesterov by (1+mu)*lr*g = 0.19 (look-ahead applied at once).
        assertEquals(-0.1, classical[0], 1e-12);
        assertEquals(-0.19, nesterov[0], 1e-9);
        double maxRelative = 0;
        for (int t = 0; t < GRADIENTS.length; t++) {
            maxRelative = Math.max(maxRelative, Math.abs(nesterov[t] - classical[t]) / Math.abs(classical[t]));
        }
        assertTrue(maxRelative > 0.5, "Nesterov differs by up to " + maxRelative + " relative on this sequence");
    }
}
