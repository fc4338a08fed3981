package io.img2rec.core.manifest;

import java.util.Comparator;
import java.util.Objects;

/**
 * A file left out of the manifest.
 *
 * @param path   relative to the dataset root, '/' separators
 * @param reason why it was left out
 * @param detail human-readable specifics (may be empty, never null)
 */
public record Rejected(String path, RejectReason reason, String detail) {

    /** Order used in {@code rejected.csv}: by path, then reason. */
    public static final Comparator<Rejected> ORDER =
            Comparator.comparing(Rejected::path).thenComparing(Rejected::reason);

    public Rejected {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
