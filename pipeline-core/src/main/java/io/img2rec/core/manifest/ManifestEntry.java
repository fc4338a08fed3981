package io.img2rec.core.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One distinct image content in a dataset.
 *
 * @param path      the first copy (by path order), relative to the dataset root with '/' separators
 * @param alsoPaths the other copies of the same bytes, sorted
 * @param sha256    lowercase hex SHA-256 of the file's bytes
 * @param width     width as displayed (EXIF orientation applied)
 * @param height    height as displayed
 * @param format    detected container format code, e.g. {@code "jpeg"}
 * @param labels    the labels of every folder any copy was found in; empty for background images
 * @param split     the split this content belongs to
 */
public record ManifestEntry(String path, List<String> alsoPaths, String sha256, int width, int height, String format,
                            Set<String> labels, Split split) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ManifestEntry {
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.contains("\\")) {
            throw new IllegalArgumentException("path must be non-blank and use '/' separators, got '" + path + "'");
        }
        alsoPaths = List.copyOf(alsoPaths == null ? List.of() : alsoPaths);
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 of " + path + " must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size of " + path + " must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(format, "format");
        labels = Set.copyOf(labels == null ? Set.of() : labels);
        Objects.requireNonNull(split, "split");
    }

    public boolean hasLabel(String label) {
        return labels.contains(label);
    }

    /** {@link #path()} followed by {@link #alsoPaths()}. */
    public List<String> allPaths() {
        List<String> all = new ArrayList<>(alsoPaths.size() + 1);
        all.add(path);
        all.addAll(alsoPaths);
        return all;
    }

    public ManifestEntry withSplit(Split newSplit) {
        return new ManifestEntry(path, alsoPaths, sha256, width, height, format, labels, newSplit);
    }
}
