package io.img2rec.train.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The run stopped because its {@link Cancellation} was tripped. The run folder keeps every checkpoint written so
 * far; {@link Training#resume(Path)} continues it and ends with the same models as an uninterrupted run.
 */
public final class TrainingCancelledException extends TrainingException {
    private final transient Path runFolder;

    /** @param runFolder the run folder to resume; null when the run was cancelled before it had one */
    public TrainingCancelledException(Path runFolder) {
        super(runFolder == null ? "training cancelled before a run folder was created"
                : "training cancelled; resume it from " + runFolder);
        this.runFolder = runFolder;
    }

    /** @return the folder to pass to {@link Training#resume(Path)}; empty when there is none yet */
    public Optional<Path> runFolder() {
        return Optional.ofNullable(runFolder);
    }
}
