package io.img2rec.core.weights;

import io.img2rec.core.console.ConsoleProgressBar;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one download: a console bar (KiB, with rate and ETA) when asked for and the optional progressbar library
 * is present, otherwise an INFO line at most every {@link #LOG_INTERVAL_NANOS} with bytes, rate and ETA.
 */
final class DownloadProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadProgress.class);
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String name;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private final ConsoleProgressBar bar;
    private long done;
    private long shownKib;
    private long lastLog = startNanos;

    /**
     * @param name       the file, as shown
     * @param startBytes bytes already there (a resumed download)
     * @param total      the file's size, or -1 when the server did not say
     */
    DownloadProgress(String name, long startBytes, long total, boolean console) {
        this.name = name;
        this.total = total;
        this.startBytes = startBytes;
        this.done = startBytes;
        this.bar = console ? ConsoleProgressBar.open("Downloading " + name, total < 0 ? -1 : kib(total), " KiB")
                .orElse(null) : null;
        this.shownKib = kib(startBytes);
        if (bar != null && shownKib > 0) {
            bar.step(shownKib);
        }
    }

    /** @return when this progress started ({@link System#nanoTime()}), for {@link #line(long)} */
    long startNanos() {
        return startNanos;
    }

    void advance(long bytes) {
        done += bytes;
        if (bar != null) {
            long k = kib(done);
            if (k > shownKib) {
                bar.step(k - shownKib);
                shownKib = k;
            }
            return;
        }
        long now = System.nanoTime();
        if (now - lastLog >= LOG_INTERVAL_NANOS) {
            lastLog = now;
            LOG.info("downloading {}: {}", name, line(now));
        }
    }

    /** @return e.g. {@code 12.3 MB of 58.9 MB (21%), 4.5 MB/s, ETA 11 s} */
    String line(long now) {
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        double rate = (done - startBytes) / seconds;
        StringBuilder s = new StringBuilder(megabytes(done));
        if (total > 0) {
            s.append(" of ").append(megabytes(total))
                    .append(String.format(Locale.ROOT, " (%d%%)", Math.round(100.0 * done / total)));
        }
        s.append(String.format(Locale.ROOT, ", %.1f MB/s", rate / 1e6));
        if (total > 0 && rate > 0) {
            s.append(", ETA ").append(Math.round((total - done) / rate)).append(" s");
        }
        return s.toString();
    }

    /** @return bytes and seconds of this session, for the closing log line */
    String summary() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%s in %.1f s (%.1f MB/s)%s", megabytes(done - startBytes), seconds,
                (done - startBytes) / Math.max(seconds, 1e-3) / 1e6,
                startBytes > 0 ? ", after " + megabytes(startBytes) + " from an earlier attempt" : "");
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    private static long kib(long bytes) {
        return bytes / 1024;
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
