package io.img2rec.core.split;

import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns every manifest entry a split with {@link IterativeStratifier}. One entry is one content (all its copies),
 * so copies never straddle splits. Entries are ordered by SHA-256 before shuffling, so the split depends only on the
 * images' content, the labels, the ratios and the seed — not on paths, file-system order or thread count.
 */
public final class Splitter {

    private final SplitRatios ratios;
    private final long seed;

    public Splitter(SplitRatios ratios, long seed) {
        this.ratios = java.util.Objects.requireNonNull(ratios, "ratios");
        this.seed = seed;
    }

    /**
     * @return a new manifest with every entry's split set
     * @throws IllegalArgumentException when the manifest is empty
     */
    public Manifest split(Manifest manifest) {
        if (manifest.entries().isEmpty()) {
            throw new IllegalArgumentException("cannot split an empty manifest: no images were accepted by the scan");
        }
        List<ManifestEntry> canonical = manifest.entries().stream()
                .sorted(Comparator.comparing(ManifestEntry::sha256)).toList();
        List<String> labels = manifest.labels();
        boolean[][] labelSets = new boolean[canonical.size()][labels.size()];
        for (int i = 0; i < canonical.size(); i++) {
            for (int l = 0; l < labels.size(); l++) {
                labelSets[i][l] = canonical.get(i).hasLabel(labels.get(l));
            }
        }
        Split[] splits = new IterativeStratifier(ratios, seed).assign(labelSets);
        Map<String, Split> bySha = new HashMap<>();
        for (int i = 0; i < canonical.size(); i++) {
            bySha.put(canonical.get(i).sha256(), splits[i]);
        }
        return manifest.withSplits(bySha);
    }
}
