package io.img2rec.core.manifest;

import io.img2rec.core.io.Sha256;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The immutable list of distinct images of a dataset with their labels and split. Entries are sorted by path, so a
 * manifest (and its {@link #contentHash()}) never depends on the order files were found in.
 *
 * @param entries one per distinct content
 * @param labels  the label columns, in configuration order
 */
public record Manifest(List<ManifestEntry> entries, List<String> labels) {

    public Manifest {
        Objects.requireNonNull(entries, "entries");
        labels = List.copyOf(labels);
        Set<String> labelSet = Set.copyOf(labels);
        Set<String> paths = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (ManifestEntry entry : entries) {
            if (!labelSet.containsAll(entry.labels())) {
                throw new IllegalArgumentException("entry " + entry.path() + " has labels " + entry.labels()
                        + " outside the manifest labels " + labels);
            }
            for (String path : entry.allPaths()) {
                if (!paths.add(path)) {
                    throw new IllegalArgumentException("path " + path + " appears in more than one manifest entry");
                }
            }
            if (!hashes.add(entry.sha256())) {
                throw new IllegalArgumentException("content " + entry.sha256() + " appears in more than one entry (at "
                        + entry.path() + "); copies belong in one entry's alsoPaths");
            }
        }
        entries = entries.stream().sorted(Comparator.comparing(ManifestEntry::path)).toList();
    }

    public int size() {
        return entries.size();
    }

    /** The entries of one split, in path order. */
    public List<ManifestEntry> entries(Split split) {
        return entries.stream().filter(e -> e.split() == split).toList();
    }

    /** A copy with each entry's split replaced by {@code assign(entry)}. */
    public Manifest withSplit(Function<ManifestEntry, Split> assign) {
        return new Manifest(entries.stream().map(e -> e.withSplit(Objects.requireNonNull(assign.apply(e),
                "split for " + e.path()))).toList(), labels);
    }

    /**
     * A copy with splits taken from a map keyed by content hash.
     *
     * @throws IllegalArgumentException naming an entry the map does not cover
     */
    public Manifest withSplits(Map<String, Split> bySha256) {
        return withSplit(e -> {
            Split split = bySha256.get(e.sha256());
            if (split == null) {
                throw new IllegalArgumentException("no split given for " + e.path() + " (sha256 " + e.sha256() + ")");
            }
            return split;
        });
    }

    /** The canonical {@code manifest.csv} text. */
    public String toCsv() {
        return ManifestCsv.toCsv(this);
    }

    /** SHA-256 (hex) of the canonical CSV text: the "manifest hash" recorded in provenance. */
    public String contentHash() {
        return Sha256.of(toCsv());
    }
}
