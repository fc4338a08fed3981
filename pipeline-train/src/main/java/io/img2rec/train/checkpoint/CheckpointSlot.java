package io.img2rec.train.checkpoint;

/**
 * The four checkpoints every model keeps, each under its own name ({@code <arch>-<model>-<suffix>}): what it holds
 * and whether the optimiser state goes with it. Written in the order {@link CheckpointPolicy} says.
 */
public enum CheckpointSlot {
    /** Phase 1's best head. */
    TOP_BEST("top-best", CheckpointKind.TOP_BEST, CheckpointContents.HEAD, false),
    /** The overall best head, kept during training; the servable {@link #BEST} is assembled from it at the end. */
    BEST_HEAD("best-head", CheckpointKind.BEST, CheckpointContents.HEAD, false),
    /** The servable best: the frozen base as it started plus the best head, as one network. */
    BEST("best", CheckpointKind.BEST, CheckpointContents.FULL, false),
    /** The latest epoch, with optimiser and resume state. */
    LAST("last", CheckpointKind.LAST, CheckpointContents.HEAD, true);

    private final String suffix;
    private final CheckpointKind kind;
    private final CheckpointContents contents;
    private final boolean withUpdater;

    CheckpointSlot(String suffix, CheckpointKind kind, CheckpointContents contents, boolean withUpdater) {
        this.suffix = suffix;
        this.kind = kind;
        this.contents = contents;
        this.withUpdater = withUpdater;
    }

    /** @return the end of the checkpoint's name, e.g. {@code best-head} */
    public String suffix() {
        return suffix;
    }

    public CheckpointKind kind() {
        return kind;
    }

    public CheckpointContents contents() {
        return contents;
    }

    /** @return true when the zip carries the optimiser state (needed to continue training) */
    public boolean withUpdater() {
        return withUpdater;
    }
}
