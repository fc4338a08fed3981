package io.img2rec.core.run;

/** How much of the network a checkpoint zip holds; {@link #code()} is the sidecar's {@code contents}. */
public enum CheckpointContents {
    /** The whole network, base included: servable. */
    FULL("full"),
    /** Only the trainable part (the head graph on cached activations): for resume and assembly. */
    HEAD("head");

    private final String code;

    CheckpointContents(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
