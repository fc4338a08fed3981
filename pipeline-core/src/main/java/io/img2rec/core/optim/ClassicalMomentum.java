package io.img2rec.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Objects;

/**
 * SGD with classical momentum, as Keras 2.2's {@code SGD(lr, momentum, nesterov=False)}:
 * {@code v ← μ·v − η·g; θ ← θ + v}. DL4J only ships Nesterov momentum ({@code Nesterovs}), which applies the
 * velocity a second time ({@code θ ← θ + μ·v − η·g} after the update of {@code v}) and so takes larger steps.
 *
 * <p>Serialised inside DL4J model configurations (its class name is stored), so models trained with it load
 * wherever this class is on the class path.
 */
public final class ClassicalMomentum implements IUpdater {
    @JsonProperty("learningRate")
    private double learningRate;
    @JsonProperty("momentum")
    private double momentum;

    /** For DL4J's JSON deserialisation. */
    public ClassicalMomentum() {
        this(0.01, 0.9);
    }

    public ClassicalMomentum(@JsonProperty("learningRate") double learningRate,
                             @JsonProperty("momentum") double momentum) {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("ClassicalMomentum needs learningRate > 0 and 0 <= momentum < 1, got "
                    + learningRate + ", " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public double getMomentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        var updater = new Updater(this);
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        var updater = new Updater(this);
        updater.setState(state, initialize);
        return updater;
    }

    @Override
    public ClassicalMomentum clone() {
        return new ClassicalMomentum(learningRate, momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException("ClassicalMomentum takes a fixed learning rate, not a schedule");
        }
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassicalMomentum other && other.learningRate == learningRate && other.momentum == momentum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum);
    }

    @Override
    public String toString() {
        return "ClassicalMomentum(learningRate=" + learningRate + ", momentum=" + momentum + ")";
    }

    /** Holds the velocity (one value per parameter, a view into DL4J's updater state). */
    static final class Updater implements GradientUpdater<ClassicalMomentum> {
        private static final String VELOCITY = "V";
        private final ClassicalMomentum config;
        private INDArray velocity;

        Updater(ClassicalMomentum config) {
            this.config = config;
        }

        @Override
        public ClassicalMomentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            INDArray v = state.get(VELOCITY);
            if (v == null) {
                throw new IllegalStateException("ClassicalMomentum state has no '" + VELOCITY + "' array: " + state.keySet());
            }
            velocity = v;
            if (initialize) {
                velocity.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(VELOCITY, velocity);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char order, boolean initialize) {
            if (!viewArray.isRowVectorOrScalar()) {
                throw new IllegalArgumentException("updater state must be a row vector, got shape "
                        + java.util.Arrays.toString(viewArray.shape()));
            }
            if (initialize) {
                viewArray.assign(0);
            }
            velocity = viewArray.reshape(order, gradientShape);
        }

        /** Turns the gradient into the step DL4J subtracts from the parameters: {@code −v} after {@code v ← μv − ηg}. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (velocity == null) {
                throw new IllegalStateException("ClassicalMomentum used before its state was set");
            }
            velocity.muli(config.momentum).subi(gradient.mul(config.learningRate));
            gradient.assign(velocity).negi();
        }
    }
}
