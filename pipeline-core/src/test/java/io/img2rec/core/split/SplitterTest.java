package io.img2rec.core.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitterTest {

    private static final List<String> LABELS = List.of("hat", "beard", "eyewear");

    static Manifest syntheticManifest(int n) {
        boolean[][] rows = IterativeStratifierTest.correlatedLabels(n, 77);
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<String> labels = new HashSet<>();
            for (int l = 0; l < LABELS.size(); l++) {
                if (rows[i][l]) {
                    labels.add(LABELS.get(l));
                }
            }
            String sha = HexFormat.of().toHexDigits((long) i * 2654435761L) .repeat(4);
            entries.add(new ManifestEntry("img/" + i + ".jpg", i % 10 == 0 ? List.of("copy/" + i + ".jpg") : List.of(),
                    sha, 100, 100, "jpeg", labels, Split.UNASSIGNED));
        }
        return new Manifest(entries, LABELS);
    }

    @Test
    void splitIsDeterministicAndCoversEveryEntry() {
        Manifest manifest = syntheticManifest(400);
        Manifest first = new Splitter(SplitRatios.DEFAULT, 7).split(manifest);
        Manifest again = new Splitter(SplitRatios.DEFAULT, 7).split(manifest);
        Manifest other = new Splitter(SplitRatios.DEFAULT, 8).split(manifest);

        assertEquals(first, again);
        assertEquals(first.contentHash(), again.contentHash());
        assertNotEquals(first.contentHash(), other.contentHash());
        assertTrue(first.entries().stream().noneMatch(e -> e.split() == Split.UNASSIGNED));
        assertEquals(280, first.entries(Split.TRAIN).size(), 2);
    }

    @Test
    void splitDependsOnContentNotPaths() {
        Manifest manifest = syntheticManifest(200);
        Manifest renamed = new Manifest(manifest.entries().stream().map(e -> new ManifestEntry("moved/" + e.sha256() + ".jpg",
                List.of(), e.sha256(), e.width(), e.height(), e.format(), e.labels(), e.split())).toList(), LABELS);

        Manifest a = new Splitter(SplitRatios.DEFAULT, 3).split(manifest);
        Manifest b = new Splitter(SplitRatios.DEFAULT, 3).split(renamed);

        for (ManifestEntry entry : a.entries()) {
            Split other = b.entries().stream().filter(e -> e.sha256().equals(entry.sha256())).findFirst().orElseThrow().split();
            assertEquals(entry.split(), other, entry.path());
        }
    }

    @Test
    void emptyManifestIsAClearError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Splitter(SplitRatios.DEFAULT, 1).split(new Manifest(List.of(), LABELS)));
        assertTrue(error.getMessage().contains("empty manifest"));
    }
}
