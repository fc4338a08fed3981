package io.img2rec.bench;

import io.img2rec.core.nativeio.OneDnnStatus;

import java.util.function.Supplier;

/**
 * Builds networks with DL4J's oneDNN layer helpers on or off. DL4J reads {@value OneDnnStatus#HELPERS_DISABLE_PROPERTY}
 * each time a layer creates its helper (network {@code init()} and {@code clone()}), so one JVM can time both
 * variants side by side. Only the benchmark's entry point uses this; the property is restored afterwards.
 */
final class HelperSwitch {
    private HelperSwitch() {
    }

    static <T> T build(boolean helpers, Supplier<T> builder) {
        String key = OneDnnStatus.HELPERS_DISABLE_PROPERTY;
        String before = System.getProperty(key);
        System.setProperty(key, helpers ? "false" : "true");
        try {
            return builder.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
