package io.img2rec.eval.run;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One row of {@code metrics-epochs.csv}; a value the trainer left empty or wrote as NaN is absent.
 *
 * @param model  architecture name
 * @param label  label name
 * @param phase  {@code top} or {@code fine_tune}
 * @param epoch  epoch number within the phase
 */
public record EpochRecord(String model, String label, String phase, int epoch, OptionalDouble trainLoss,
                          OptionalDouble validationLoss, OptionalDouble validationAuc,
                          OptionalDouble validationAccuracy, OptionalDouble seconds,
                          OptionalDouble imagesPerSecond) {

    public EpochRecord {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(phase, "phase");
    }
}
