package io.img2rec.train;

import java.nio.file.Path;

/**
 * Unwinds a cancelled run from wherever the cancellation was seen (inside a batch loop); the training job adds its
 * run folder and the public API turns it into a {@link io.img2rec.train.api.TrainingCancelledException}.
 */
public final class RunCancelled extends RuntimeException {
    private final transient Path runFolder;

    RunCancelled(Path runFolder) {
        super("training cancelled" + (runFolder == null ? "" : "; resume from " + runFolder), null, false, false);
        this.runFolder = runFolder;
    }

    /** @return the run folder to resume, or null when it is not known yet */
    public Path runFolder() {
        return runFolder;
    }
}
