package io.img2rec.train.api;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * The two training phases of every model: phase 1 trains the top on bottleneck features, phase 2 fine-tunes the
 * last N layers of the base together with the top. {@link #code()} is the name written to checkpoint sidecars,
 * {@code metrics-epochs.csv} and {@code run-summary.json}, and the part of every epoch's seed path.
 */
public enum Phase {
    /** Phase 1: the top model on features of the frozen base. */
    TOP("top"),
    /** Phase 2: the last N layers of the base unfrozen, trained with the top on augmented copies. */
    FINE_TUNE("fine_tune");

    private final String code;

    Phase(String code) {
        this.code = code;
    }

    /** @return {@code top} or {@code fine_tune}, as written to files */
    @JsonValue
    public String code() {
        return code;
    }

    /** The stage of a run this phase is timed as. */
    public Stage stage() {
        return this == TOP ? Stage.TOP : Stage.FINE_TUNE;
    }

    /**
     * @param code a value of {@link #code()}
     * @throws IllegalArgumentException for any other text, naming the allowed codes
     */
    public static Phase fromCode(String code) {
        for (Phase phase : values()) {
            if (phase.code.equals(code)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown training phase '" + code + "'; allowed: "
                + Arrays.stream(values()).map(Phase::code).toList());
    }
}
