package io.img2rec.train;

import io.img2rec.train.api.Cancellation;
import io.img2rec.train.api.TrainingListener;

import java.util.Objects;

/**
 * What a training run tells and asks its caller while it runs: console progress bars (command line only), the
 * caller's listener, and the cancellation it checks between batches and epochs.
 */
public record TrainingHooks(boolean showProgress, TrainingListener listener, Cancellation cancellation) {
    public TrainingHooks {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    /** No progress bars, no listener, never cancelled. */
    public static TrainingHooks silent() {
        return new TrainingHooks(false, TrainingListener.NONE, new Cancellation());
    }

    public TrainingHooks withListener(TrainingListener other) {
        return new TrainingHooks(showProgress, other, cancellation);
    }

    /** @throws RunCancelled when the cancellation was tripped */
    void checkCancelled() {
        if (cancellation.isCancelled()) {
            throw new RunCancelled(null);
        }
    }
}
