package io.img2rec.core.run;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One row of {@code metrics-epochs.csv} ({@link EpochMetricsCsv}); an undefined value (empty or NaN) is absent.
 *
 * @param model  architecture name
 * @param label  the model's name: its label, or {@code multilabel}
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
        trainLoss = finite(trainLoss);
        validationLoss = finite(validationLoss);
        validationAuc = finite(validationAuc);
        validationAccuracy = finite(validationAccuracy);
        seconds = finite(seconds);
        imagesPerSecond = finite(imagesPerSecond);
    }

    /** A row from plain numbers, NaN or an infinity meaning undefined. */
    public static EpochRecord of(String model, String label, String phase, int epoch, double trainLoss,
                                 double validationLoss, double validationAuc, double validationAccuracy,
                                 double seconds, double imagesPerSecond) {
        return new EpochRecord(model, label, phase, epoch, optional(trainLoss), optional(validationLoss),
                optional(validationAuc), optional(validationAccuracy), optional(seconds), optional(imagesPerSecond));
    }

    private static OptionalDouble optional(double value) {
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    private static OptionalDouble finite(OptionalDouble value) {
        return value == null || value.isEmpty() ? OptionalDouble.empty() : optional(value.getAsDouble());
    }
}
