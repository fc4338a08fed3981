package io.img2rec.train;

import io.img2rec.train.api.Stage;
import io.img2rec.train.run.Progress;

import java.time.Duration;

/**
 * The progress of one unit of work (the cache, the features, one epoch): counts go to the console progress (when
 * shown) and to the listener, and the run's cancellation is checked after every step.
 */
final class StageProgress implements AutoCloseable {
    private final TrainingHooks hooks;
    private final Stage stage;
    private final String subject;
    private final long total;
    private final Progress console;
    private final long start = System.nanoTime();
    private long done;

    private StageProgress(TrainingHooks hooks, Stage stage, String subject, String task, long total) {
        this.hooks = hooks;
        this.stage = stage;
        this.subject = subject;
        this.total = total;
        this.console = hooks.showProgress() ? Progress.start(task, total) : Progress.silent();
    }

    /** Starts a unit of work of {@code total} images; {@code task} names it on the console. */
    static StageProgress start(TrainingHooks hooks, Stage stage, String subject, String task, long total) {
        return new StageProgress(hooks, stage, subject, task, total);
    }

    /** {@code n} more images done; throws {@link RunCancelled} when the run was cancelled. */
    void step(long n) {
        done += n;
        console.step(n);
        hooks.listener().progress(stage, subject, done, total);
        hooks.checkCancelled();
    }

    long done() {
        return done;
    }

    long total() {
        return total;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        console.close();
    }
}
