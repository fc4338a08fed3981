package io.img2rec.train.api;

/**
 * Lets another thread (or a {@link TrainingListener}) stop a training run. The run checks it after every batch
 * and every epoch; once tripped, {@link Training#train()} or {@link Training#resume} ends with a
 * {@link TrainingCancelledException} naming the run folder, which {@link Training#resume} continues from its last
 * checkpoints. Thread-safe; tripping it twice is harmless; it cannot be reset, so the resuming {@code Training}
 * needs a new one (or none).
 */
public final class Cancellation {
    private volatile boolean cancelled;

    /** Asks the run to stop at the next batch or epoch boundary. */
    public void cancel() {
        cancelled = true;
    }

    /** @return true once {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }
}
