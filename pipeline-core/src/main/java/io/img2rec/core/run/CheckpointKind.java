package io.img2rec.core.run;

/** What a checkpoint sidecar's {@code kind} says it holds; {@link #code()} is the text in the sidecar. */
public enum CheckpointKind {
    /** The best epoch of phase 1 (where phase 2 starts from). */
    TOP_BEST("top-best"),
    /** The best epoch over both phases (what is served). */
    BEST("best"),
    /** The latest epoch with its optimiser state and resume state. */
    LAST("last");

    private final String code;

    CheckpointKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
