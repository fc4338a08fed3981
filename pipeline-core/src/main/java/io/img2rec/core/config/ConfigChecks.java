package io.img2rec.core.config;

import java.util.Collection;

/**
 * Preconditions of the config records beyond one key's range (which its {@link ConfigKey} checks); messages name
 * the key, the value and what is allowed.
 */
final class ConfigChecks {
    private ConfigChecks() {
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
}
