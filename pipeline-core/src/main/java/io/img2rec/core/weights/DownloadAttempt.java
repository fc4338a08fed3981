package io.img2rec.core.weights;

import java.util.Objects;

/**
 * One try at a download, for messages and tests.
 *
 * @param number   1 for the first try
 * @param fromByte the offset asked for with an HTTP Range header (0: the whole file)
 * @param outcome  what happened, e.g. {@code HTTP 404 Not Found} or {@code no data for 60 s (read timeout)}
 */
public record DownloadAttempt(int number, long fromByte, String outcome) {
    public DownloadAttempt {
        Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String toString() {
        return "attempt " + number + (fromByte > 0 ? " (resuming at byte " + fromByte + ")" : "") + ": " + outcome;
    }
}
