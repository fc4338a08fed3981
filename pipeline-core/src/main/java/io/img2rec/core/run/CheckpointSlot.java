package io.img2rec.core.run;

/**
 * The checkpoints training keeps for each model, named {@code <architecture>-<model>-<slot>} in the run's
 * {@code checkpoints/} folder (see {@link RunLayout#checkpointName}).
 */
public enum CheckpointSlot {
    /** The latest epoch's trainable part with its updater and resume state: where a resumed run continues. */
    LAST("last"),
    /** The trainable part at phase 1's best epoch: where phase 2 starts. */
    TOP_BEST("top-best"),
    /** The trainable part at the best epoch over both phases, written during training. */
    BEST_HEAD("best-head"),
    /** The whole servable network at the best epoch, written once when training ends. */
    BEST("best");

    private final String suffix;

    CheckpointSlot(String suffix) {
        this.suffix = suffix;
    }

    /** The name's last part, e.g. {@code top-best}. */
    public String suffix() {
        return suffix;
    }
}
