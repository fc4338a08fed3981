package io.img2rec.core.config;

import java.util.Collection;

/** Precondition checks shared by the config records; messages name the key, the value and what is allowed. */
final class ConfigChecks {
    private ConfigChecks() {
    }

    static double inRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " = " + value + " is out of range: allowed " + min + " to " + max);
        }
        return value;
    }

    static int inRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " = " + value + " is out of range: allowed " + min + " to " + max);
        }
        return value;
    }

    static long inRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " = " + value + " is out of range: allowed " + min + " to " + max);
        }
        return value;
    }

    static <T> T notNull(String key, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value;
    }

    static void notEmpty(String key, Collection<?> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(key + " must name at least one entry");
        }
    }

    static void rangeOrdered(String key, double low, double high) {
        if (low > high) {
            throw new IllegalArgumentException(key + " = [" + low + ", " + high + "]: the first value must not exceed the second");
        }
    }
}
