package io.img2rec.core.manifest;

import io.img2rec.core.console.ConsoleProgressBar;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a dataset root (one sub-folder per label, plus optional background folders) into a {@link ScanResult}.
 *
 * <p>Files are listed first (paths only), then checked in parallel by {@code threads} workers fed through a bounded
 * queue; nothing decoded is kept. Copies of the same bytes in several folders become one entry carrying every folder's
 * label. The result is sorted, so it never depends on thread timing. One bad file never stops the scan.
 */
public final class ManifestScanner {

    private static final Logger LOG = LoggerFactory.getLogger(ManifestScanner.class);

    private final ScanOptions options;
    private final boolean showProgress;
    private final ImageInspector inspector;

    /** A file to check and the label of the folder it was found in ({@code null} for background folders). */
    private record Candidate(Path file, String relativePath, String label) {
    }

    /**
     * @param showProgress draw a progress bar on stderr (turn off in tests; nothing is drawn when the optional
     *                     progressbar library is absent)
     */
    public ManifestScanner(ScanOptions options, boolean showProgress) {
        this.options = options;
        this.showProgress = showProgress;
        this.inspector = new ImageInspector(options);
    }

    public ManifestScanner(ScanOptions options) {
        this(options, true);
    }

    /** The inspector used for every file (exposes its decode count for tests). */
    public ImageInspector inspector() {
        return inspector;
    }

    /**
     * Scans {@code root}.
     *
     * @throws ManifestException when the root or a label folder is missing or a label folder holds no files
     */
    public ScanResult scan(Path root) throws ManifestException {
        if (!Files.isDirectory(root)) {
            throw new ManifestException("Dataset root " + root.toAbsolutePath() + " does not exist or is not a folder; "
                    + "check the dataset path in your config");
        }
        List<Rejected> rejected = Collections.synchronizedList(new ArrayList<>());
        List<Candidate> candidates = new ArrayList<>();

        for (String label : options.labels()) {
            Path folder = root.resolve(label);
            if (!Files.isDirectory(folder)) {
                throw new ManifestException("Label folder '" + label + "' not found at " + folder.toAbsolutePath()
                        + ": create it or remove '" + label + "' from the labels in your config (e.g. configs/vgg16.yaml labels)");
            }
            int before = candidates.size();
            int rejectedBefore = rejected.size();
            collect(root, folder, label, candidates, rejected);
            if (candidates.size() == before && rejected.size() == rejectedBefore) {
                throw new ManifestException("Label folder '" + label + "' at " + folder.toAbsolutePath() + " holds no files: "
                        + "add images for '" + label + "' or remove it from the labels in your config (e.g. configs/vgg16.yaml labels)");
            }
        }
        for (String background : options.backgroundFolders()) {
            Path folder = root.resolve(background);
            if (Files.isDirectory(folder)) {
                collect(root, folder, null, candidates, rejected);
            }
        }
        rejectOtherFolders(root, rejected);

        AtomicReferenceArray<ImageInspector.Outcome> outcomes = inspectAll(candidates);
        Map<String, List<Integer>> bySha = new TreeMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            ImageInspector.Outcome outcome = outcomes.get(i);
            Candidate candidate = candidates.get(i);
            if (outcome == null) {
                rejected.add(new Rejected(candidate.relativePath(), RejectReason.CORRUPT_IMAGE, "not checked: worker failed"));
            } else if (outcome.accepted()) {
                bySha.computeIfAbsent(outcome.info().sha256(), k -> new ArrayList<>()).add(i);
            } else {
                rejected.add(new Rejected(candidate.relativePath(), outcome.reason(), outcome.detail()));
            }
        }

        List<ManifestEntry> entries = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : bySha.entrySet()) {
            TreeSet<String> paths = new TreeSet<>();
            Set<String> labels = new HashSet<>();
            for (int i : group.getValue()) {
                paths.add(candidates.get(i).relativePath());
                if (candidates.get(i).label() != null) {
                    labels.add(candidates.get(i).label());
                }
            }
            ImageInspector.ImageInfo info = outcomes.get(group.getValue().get(0)).info();
            String first = paths.pollFirst();
            entries.add(new ManifestEntry(first, List.copyOf(paths), group.getKey(), info.width(), info.height(),
                    info.format().code(), labels, Split.UNASSIGNED));
        }
        Manifest manifest = new Manifest(entries, options.labels());
        for (String label : options.labels()) {
            if (manifest.entries().stream().noneMatch(e -> e.hasLabel(label))) {
                LOG.warn("Label '{}' has no usable images after the scan; see rejected.csv", label);
            }
        }
        LOG.info("Scanned {}: {} files checked, {} distinct images, {} rejected", root, candidates.size(),
                manifest.size(), rejected.size());
        return new ScanResult(manifest, new ArrayList<>(rejected));
    }

    private AtomicReferenceArray<ImageInspector.Outcome> inspectAll(List<Candidate> candidates) throws ManifestException {
        int threads = options.threads();
        AtomicReferenceArray<ImageInspector.Outcome> outcomes = new AtomicReferenceArray<>(candidates.size());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0L, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * 4), namedDaemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        ConsoleProgressBar bar = showProgress
                ? ConsoleProgressBar.open("Scanning", candidates.size(), " files").orElse(null)
                : null;
        try {
            for (int i = 0; i < candidates.size(); i++) {
                int index = i;
                pool.execute(() -> {
                    try {
                        outcomes.set(index, inspector.inspect(candidates.get(index).file()));
                    } catch (RuntimeException e) {
                        LOG.warn("Checking {} failed unexpectedly", candidates.get(index).relativePath(), e);
                    } finally {
                        if (bar != null) {
                            bar.step(1);
                        }
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // keep waiting; the progress bar shows the work going on
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new ManifestException("Scan interrupted", e);
        } finally {
            pool.shutdownNow();
            if (bar != null) {
                bar.close();
            }
        }
        return outcomes;
    }

    private static ThreadFactory namedDaemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "manifest-scan-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Lists the files under a label or background folder: candidates by extension, other files rejected. */
    private void collect(Path root, Path folder, String label, List<Candidate> candidates, List<Rejected> rejected) {
        walk(root, folder, rejected, file -> {
            String relative = relative(root, file);
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (options.extensions().contains(extension)) {
                candidates.add(new Candidate(file, relative, label));
            } else {
                rejected.add(new Rejected(relative, RejectReason.UNSUPPORTED_FORMAT, "extension '" + extension
                        + "' is not one of " + new TreeSet<>(options.extensions())));
            }
        });
    }

    /** Files in folders that are neither labels nor background, and files lying directly in the root. */
    private void rejectOtherFolders(Path root, List<Rejected> rejected) {
        Set<String> known = new HashSet<>(options.labels());
        known.addAll(options.backgroundFolders());
        List<Path> children;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            children = new ArrayList<>();
            stream.forEach(children::add);
        } catch (IOException e) {
            rejected.add(new Rejected(".", RejectReason.UNREADABLE, "cannot list the dataset root: " + e.getMessage()));
            return;
        }
        children.sort(null);
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (isHidden(name) || known.contains(name)) {
                continue;
            }
            String hint = options.labels().stream().filter(l -> l.equalsIgnoreCase(name)).findFirst()
                    .map(l -> "; did you mean label '" + l + "'? folder names are case-sensitive").orElse("");
            if (Files.isDirectory(child)) {
                int before = rejected.size();
                walk(root, child, new ArrayList<>(), file -> rejected.add(new Rejected(relative(root, file),
                        RejectReason.NOT_A_LABEL_FOLDER, "folder '" + name + "' is not a label " + options.labels()
                        + " nor a background folder " + options.backgroundFolders() + hint)));
                int count = rejected.size() - before;
                if (count > 0) {
                    LOG.warn("Folder '{}' in {} is neither a label {} nor a background folder {}: its {} file(s) are not used{}",
                            name, root, options.labels(), options.backgroundFolders(), count, hint);
                }
            } else {
                rejected.add(new Rejected(relative(root, child), RejectReason.NOT_A_LABEL_FOLDER,
                        "file lies directly in the dataset root; put it in a label folder " + options.labels()));
            }
        }
    }

    /**
     * Depth-first walk that follows symbolic links to folders but visits each real folder once (so link loops end),
     * skips hidden names, and reports broken links and unlistable folders. Entries are visited in name order.
     */
    private static void walk(Path root, Path start, List<Rejected> rejected, Consumer<Path> onFile) {
        Set<Path> visited = new HashSet<>();
        Deque<Path> pending = new ArrayDeque<>();
        pending.push(start);
        while (!pending.isEmpty()) {
            Path dir = pending.pop();
            try {
                if (!visited.add(dir.toRealPath())) {
                    LOG.debug("Skipping {}: already visited (symbolic link loop or second link)", dir);
                    continue;
                }
            } catch (IOException e) {
                rejected.add(new Rejected(relative(root, dir), RejectReason.UNREADABLE, "cannot resolve folder: " + e.getMessage()));
                continue;
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            } catch (IOException | RuntimeException e) {
                rejected.add(new Rejected(relative(root, dir), RejectReason.UNREADABLE, "cannot list folder: " + e.getMessage()));
                continue;
            }
            children.sort(null);
            List<Path> subFolders = new ArrayList<>();
            for (Path child : children) {
                if (isHidden(child.getFileName().toString())) {
                    continue;
                }
                if (!nameRoundTrips(child)) {
                    rejected.add(new Rejected(relative(root, child), RejectReason.UNREADABLE, unrepresentableName()));
                } else if (Files.isSymbolicLink(child) && !Files.exists(child)) {
                    rejected.add(new Rejected(relative(root, child), RejectReason.BROKEN_SYMLINK, "link target does not exist"));
                } else if (Files.isDirectory(child)) {
                    subFolders.add(child);
                } else if (Files.isRegularFile(child)) {
                    onFile.accept(child);
                } else {
                    rejected.add(new Rejected(relative(root, child), RejectReason.UNREADABLE, "not a regular file"));
                }
            }
            for (int i = subFolders.size() - 1; i >= 0; i--) {
                pending.push(subFolders.get(i));
            }
        }
    }

    /** Names starting with '.' (including macOS "._" resource forks and .DS_Store) are ignored silently. */
    static boolean isHidden(String name) {
        return name.startsWith(".");
    }

    /**
     * Whether a file name survives the trip to text and back. The manifest keeps paths as text, and a JVM started
     * under a non-UTF-8 locale (e.g. {@code LC_ALL=C}: {@code sun.jnu.encoding=ANSI_X3.4-1968}) turns every
     * non-ASCII byte of a name into {@code ?}, so the text would name another file (or none).
     */
    static boolean nameRoundTrips(Path child) {
        Path name = child.getFileName();
        try {
            return name == null || name.getFileSystem().getPath(name.toString()).equals(name);
        } catch (java.nio.file.InvalidPathException e) { // the text holds U+FFFD, which the encoding cannot write back
            return false;
        }
    }

    static String unrepresentableName() {
        return "the file name cannot be written in this JVM's file-name encoding (sun.jnu.encoding="
                + System.getProperty("sun.jnu.encoding") + ", chosen from the locale: LC_ALL=" + System.getenv("LC_ALL")
                + ", LANG=" + System.getenv("LANG") + "); run img2rec under a UTF-8 locale (e.g. export LC_ALL=C.UTF-8) "
                + "or rename the file to ASCII";
    }

    private static String relative(Path root, Path file) {
        String relative = root.relativize(file).toString();
        return relative.replace(file.getFileSystem().getSeparator(), "/");
    }
}
