package io.img2rec.core.metrics;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One metric value: either a finite-or-infinite number, or undefined with a human-readable reason
 * (e.g. {@code "no positive examples for 'hat' on the test split (40 negatives)"}). Never NaN.
 *
 * @param value            the number, present exactly when the metric is defined
 * @param undefinedReason  why there is no number, present exactly when the metric is undefined
 */
public record MetricValue(OptionalDouble value, Optional<String> undefinedReason) {

    public MetricValue {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(undefinedReason, "undefinedReason");
        if (value.isPresent() == undefinedReason.isPresent()) {
            throw new IllegalArgumentException("exactly one of value " + value + " and reason " + undefinedReason
                    + " must be present");
        }
        if (value.isPresent() && Double.isNaN(value.getAsDouble())) {
            throw new IllegalArgumentException("a metric value may not be NaN; use MetricValue.undefined(reason)");
        }
        if (undefinedReason.isPresent() && undefinedReason.get().isBlank()) {
            throw new IllegalArgumentException("an undefined metric needs a non-blank reason");
        }
    }

    /** A defined value; {@code value} must not be NaN. */
    public static MetricValue of(double value) {
        return new MetricValue(OptionalDouble.of(value), Optional.empty());
    }

    /** An undefined value with the reason a report should print. */
    public static MetricValue undefined(String reason) {
        return new MetricValue(OptionalDouble.empty(), Optional.of(Objects.requireNonNull(reason, "reason")));
    }

    public boolean isDefined() {
        return value.isPresent();
    }

    /** The value, or 0 when undefined: scikit-learn's {@code zero_division=0} behaviour. */
    public double orZero() {
        return value.orElse(0.0);
    }

    /** The value; throws {@link IllegalStateException} with the reason when undefined. */
    public double orElseThrow() {
        if (value.isEmpty()) {
            throw new IllegalStateException("metric is undefined: " + undefinedReason.get());
        }
        return value.getAsDouble();
    }

    /** The same value, or for an undefined one the reason with {@code suffix} appended (used to add context). */
    MetricValue withReasonSuffix(String suffix) {
        return isDefined() || suffix.isEmpty() ? this : undefined(undefinedReason.get() + suffix);
    }

    /** {@code "0.75"} or {@code "N/A (reason)"}. */
    @Override
    public String toString() {
        return isDefined() ? Double.toString(value.getAsDouble()) : "N/A (" + undefinedReason.get() + ")";
    }
}
