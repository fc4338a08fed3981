package io.img2rec.train.run;

import io.img2rec.core.console.ConsoleProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress of one step (cache, an epoch): a console progress bar with rate and ETA when a terminal is attached,
 * otherwise a log line at most every 15 seconds (so CI logs stay readable). The bar needs the optional progressbar
 * library (the command-line layer's); without it, progress goes to the log.
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final String task;
    private final long total;
    private final ConsoleProgressBar bar;
    private final long start = System.nanoTime();
    private long done;
    private long lastLog = System.nanoTime();

    private final boolean quiet;

    private Progress(String task, long total, boolean console, boolean quiet) {
        this.task = task;
        this.total = total;
        this.quiet = quiet;
        this.bar = console ? ConsoleProgressBar.open(task, total, " img").orElse(null) : null;
    }

    public static Progress start(String task, long total) {
        return new Progress(task, total, System.console() != null && !Boolean.getBoolean("img2rec.noProgressBar"),
                false);
    }

    /** A progress that shows nothing (tests, library use). */
    public static Progress silent() {
        return new Progress("", 0, false, true);
    }

    public void step(long n) {
        done += n;
        if (bar != null) {
            bar.step(n);
            return;
        }
        long now = System.nanoTime();
        if (!quiet && now - lastLog > 15_000_000_000L) {
            lastLog = now;
            double seconds = (now - start) / 1e9;
            double rate = done / Math.max(seconds, 1e-9);
            long eta = rate > 0 ? (long) ((total - done) / rate) : -1;
            LOG.info(String.format(Locale.ROOT, "%s: %d/%d (%.1f img/s, ETA %s)", task, done, total, rate,
                    eta < 0 ? "?" : Duration.ofSeconds(eta).toString().substring(2).toLowerCase(Locale.ROOT)));
        }
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
