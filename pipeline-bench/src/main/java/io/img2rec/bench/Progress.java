package io.img2rec.bench;

import java.util.Locale;

/** One line per finished case on stderr, so a long run shows where it is. */
final class Progress {
    private Progress() {
    }

    static void log(Measurement m) {
        System.err.printf(Locale.ROOT, "[bench] %-10s %-32s %-28s median %.3f s  %.2f img/s  %s%n", m.suite(), m.name(),
                m.variant(), m.medianSeconds(), m.imagesPerSecond(), m.extra());
    }
}
