package io.img2rec.core.config;

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
}
