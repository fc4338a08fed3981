package io.img2rec.train.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The timed stages of a training run, in the order they run. {@link #code()} is the key used in
 * {@code run-summary.json}'s {@code durationsSeconds} and {@code imagesPerSecond}.
 */
public enum Stage {
    /** Scanning the dataset folders into a manifest and splitting it (or reading a resumed run's manifest back). */
    DATASET("dataset"),
    /** Running the frozen layers of the base once per image and augmented copy (the frozen-trunk cache). */
    CACHE("cache"),
    /** Bottleneck features for phase 1, computed once from the cache (only when layers lie between the two). */
    FEATURES("features"),
    /** Phase 1 of every model ({@link Phase#TOP}). */
    TOP("top"),
    /** Phase 2 of every model ({@link Phase#FINE_TUNE}). */
    FINE_TUNE("fine_tune");

    private final String code;

    Stage(String code) {
        this.code = code;
    }

    /** @return e.g. {@code cache}, {@code fine_tune} */
    @JsonValue
    public String code() {
        return code;
    }
}
