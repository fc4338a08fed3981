package io.img2rec.core.run;

/**
 * The checkpoints training keeps for each model, named {@code <architecture>-<model>-<slot>} in the run's
 * {@code checkpoints/} folder (see {@link RunLayout#checkpointName}): what each holds (its sidecar's {@code kind} and
 * {@code contents}) and whether the optimiser state goes with it. Declared in the order training writes them when
 * several are due at once (the bests first, then {@link #LAST}).
 */
public enum CheckpointSlot {
    /** The trainable part at phase 1's best epoch: where phase 2 starts. */
    TOP_BEST("top-best", CheckpointKind.TOP_BEST, CheckpointContents.HEAD, false),
    /** The trainable part at the best epoch over both phases, written during training. */
    BEST_HEAD("best-head", CheckpointKind.BEST, CheckpointContents.HEAD, false),
    /** The whole servable network at the best epoch, written once when training ends. */
    BEST("best", CheckpointKind.BEST, CheckpointContents.FULL, false),
    /** The latest epoch's trainable part with its updater and resume state: where a resumed run continues. */
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

    /** The name's last part, e.g. {@code top-best}. */
    public String suffix() {
        return suffix;
    }

    /** What the sidecar's {@code kind} says. */
    public CheckpointKind kind() {
        return kind;
    }

    /** What the sidecar's {@code contents} says. */
    public CheckpointContents contents() {
        return contents;
    }

    /** Whether the zip carries the optimiser state (needed to continue training). */
    public boolean withUpdater() {
        return withUpdater;
    }
}
