package io.img2rec.core.manifest;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to scan a dataset folder.
 *
 * @param labels            label names; each is a sub-folder of the dataset root and a column of {@code manifest.csv}
 * @param backgroundFolders sub-folders whose images carry no label (default {@code [none]}); they may be missing
 * @param maxPixels         width × height above which an image is rejected without being decoded (default {@link ImageInspector#DEFAULT_MAX_PIXELS})
 * @param minSide           shorter side below which an image is rejected (default 32)
 * @param threads           worker threads for header checks, decoding and hashing
 * @param extensions        file extensions (lowercase, no dot) considered as images
 */
public record ScanOptions(List<String> labels, List<String> backgroundFolders, long maxPixels, int minSide,
                          int threads, Set<String> extensions) {

    public static final List<String> DEFAULT_BACKGROUND_FOLDERS = List.of("none");
    public static final int DEFAULT_MIN_SIDE = 32;
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    /** Column names of {@code manifest.csv} that a label may not take. */
    public static final Set<String> RESERVED_COLUMNS = Set.of("path", "also", "sha256", "width", "height", "format", "split");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    public ScanOptions {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("labels must name at least one label folder, got " + labels);
        }
        labels = List.copyOf(labels);
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (label == null || !NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("label '" + label + "' is not a valid folder/column name (letters, digits, '_' or '-')");
            }
            if (RESERVED_COLUMNS.contains(label)) {
                throw new IllegalArgumentException("label '" + label + "' clashes with a manifest.csv column; reserved: " + RESERVED_COLUMNS);
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("label '" + label + "' is listed twice in " + labels);
            }
        }
        backgroundFolders = List.copyOf(backgroundFolders == null ? DEFAULT_BACKGROUND_FOLDERS : backgroundFolders);
        for (String folder : backgroundFolders) {
            if (folder == null || !NAME.matcher(folder).matches()) {
                throw new IllegalArgumentException("background folder '" + folder + "' is not a valid folder name");
            }
            if (seen.contains(folder)) {
                throw new IllegalArgumentException("'" + folder + "' is both a label and a background folder");
            }
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
        }
        if (minSide < 1) {
            throw new IllegalArgumentException("minSide must be >= 1, got " + minSide);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (extensions == null || extensions.isEmpty()) {
            throw new IllegalArgumentException("extensions must not be empty, got " + extensions);
        }
        Set<String> normalised = new LinkedHashSet<>();
        for (String ext : extensions) {
            if (ext == null || ext.isBlank()) {
                throw new IllegalArgumentException("extensions contains a blank entry: " + extensions);
            }
            String e = ext.trim().toLowerCase(Locale.ROOT);
            normalised.add(e.startsWith(".") ? e.substring(1) : e);
        }
        extensions = Set.copyOf(normalised);
    }

    /** Defaults for everything but the labels; threads = available processors. */
    public static ScanOptions defaults(List<String> labels) {
        return new ScanOptions(labels, DEFAULT_BACKGROUND_FOLDERS, ImageInspector.DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE,
                Runtime.getRuntime().availableProcessors(), DEFAULT_EXTENSIONS);
    }

    public ScanOptions withThreads(int newThreads) {
        return new ScanOptions(labels, backgroundFolders, maxPixels, minSide, newThreads, extensions);
    }

    public ScanOptions withMaxPixels(long newMaxPixels) {
        return new ScanOptions(labels, backgroundFolders, newMaxPixels, minSide, threads, extensions);
    }

    public ScanOptions withMinSide(int newMinSide) {
        return new ScanOptions(labels, backgroundFolders, maxPixels, newMinSide, threads, extensions);
    }

    public ScanOptions withBackgroundFolders(List<String> folders) {
        return new ScanOptions(labels, folders, maxPixels, minSide, threads, extensions);
    }
}
