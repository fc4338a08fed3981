package io.img2rec.core.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A progress bar on stderr, for the command-line layer. {@link #open} returns one only when the optional
 * {@code me.tongfei:progressbar} library is on the class path: the library modules declare it optional, so an
 * application that imports img2rec does not get it, and code that merely may show a bar never loads its classes.
 * Callers fall back to log lines (or nothing) when it is empty.
 */
public interface ConsoleProgressBar extends AutoCloseable {

    /** Advances the bar by {@code n} units. Safe to call from several threads. */
    void step(long n);

    /** Finishes the bar (prints its last state). */
    @Override
    void close();

    /**
     * A new bar, or empty when the progress bar library is not on the class path.
     *
     * @param task  the name shown before the bar, e.g. {@code Scanning}
     * @param total the number of units expected
     * @param unit  the unit shown after the rate, with its leading space, e.g. {@code " img"}
     * @return the bar, already drawn
     */
    static Optional<ConsoleProgressBar> open(String task, long total, String unit) {
        if (!Library.PRESENT) {
            return Optional.empty();
        }
        return Optional.of(new TongfeiProgressBar(task, total, unit));
    }

    /** Whether {@code me.tongfei.progressbar} can be loaded; looked up once, without initialising it. */
    final class Library {
        static final boolean PRESENT = present();

        private Library() {
        }

        private static boolean present() {
            try {
                Class.forName("me.tongfei.progressbar.ProgressBar", false, ConsoleProgressBar.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                Logger log = LoggerFactory.getLogger(ConsoleProgressBar.class);
                log.debug("me.tongfei:progressbar is not on the class path: progress goes to the log instead");
                return false;
            }
        }
    }
}
