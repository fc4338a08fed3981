package io.img2rec.core.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a downloaded or cached weights file must hash to: an MD5 (what Keras publishes for its Applications files),
 * a SHA-256 (ours to configure: Keras publishes none), or both. At least one is required; every one given must match.
 *
 * @param md5    32 lower-case hex digits, or {@code null} when not known
 * @param sha256 64 lower-case hex digits, or {@code null} when not known
 */
public record ExpectedChecksum(String md5, String sha256) {
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ExpectedChecksum {
        md5 = md5 == null ? null : md5.trim().toLowerCase(Locale.ROOT);
        sha256 = sha256 == null ? null : sha256.trim().toLowerCase(Locale.ROOT);
        if (md5 == null && sha256 == null) {
            throw new IllegalArgumentException("an expected checksum needs an MD5 or a SHA-256; got neither");
        }
        if (md5 != null && !MD5.matcher(md5).matches()) {
            throw new IllegalArgumentException("MD5 '" + md5 + "' is not 32 hex digits");
        }
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("SHA-256 '" + sha256 + "' is not 64 hex digits");
        }
    }

    /** @return a check against an MD5 only */
    public static ExpectedChecksum md5(String hex) {
        return new ExpectedChecksum(hex, null);
    }

    /** @return a check against a SHA-256 only */
    public static ExpectedChecksum sha256(String hex) {
        return new ExpectedChecksum(null, hex);
    }

    /**
     * @return empty when {@code actual} matches every checksum given here, else what differs, naming both sums, e.g.
     *         {@code md5 0123… (expected 6d6b…)}
     */
    public Optional<String> mismatch(FileDigests actual) {
        List<String> wrong = new ArrayList<>();
        if (md5 != null && !md5.equals(actual.md5())) {
            wrong.add("md5 " + actual.md5() + " (expected " + md5 + ")");
        }
        if (sha256 != null && !sha256.equals(actual.sha256())) {
            wrong.add("sha256 " + actual.sha256() + " (expected " + sha256 + ")");
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", wrong));
    }

    /** @return e.g. {@code md5 6d6b…} or {@code sha256 ab12…}, for messages */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (md5 != null) {
            parts.add("md5 " + md5);
        }
        if (sha256 != null) {
            parts.add("sha256 " + sha256);
        }
        return String.join(", ", parts);
    }
}
