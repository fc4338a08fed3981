package io.img2rec.core.split;

import io.img2rec.core.config.ConfigLocator;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestScanner;
import io.img2rec.core.manifest.ScanOptions;
import io.img2rec.core.manifest.Split;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The split of the bundled sample: every label's positive rate in every split within 5 points of the whole. */
class SampleDatasetSplitTest {
    private static final List<String> LABELS = List.of("hat", "beard", "eyewear");

    @Test
    void bundledSampleSplitIsStratifiedWithinFivePointsPerLabel() throws Exception {
        Path sample = ConfigLocator.projectRoot(Path.of("")).resolve("datasets/sample");
        Manifest scanned = new ManifestScanner(ScanOptions.defaults(LABELS), false).scan(sample).manifest();
        assertEquals(360, scanned.size(), "the sample's distinct images (copies merged by content)");
        Manifest split = new Splitter(SplitRatios.DEFAULT, 42).split(scanned);
        for (String label : LABELS) {
            double whole = rate(split, null, label);
            for (Split s : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
                double part = rate(split, s, label);
                assertTrue(Math.abs(part - whole) <= 0.05,
                        label + " in " + s.code() + ": " + part + " vs " + whole + " overall");
            }
        }
        assertEquals(split.entries(), new Splitter(SplitRatios.DEFAULT, 42).split(scanned).entries(), "same seed, same split");
    }

    private static double rate(Manifest manifest, Split split, String label) {
        var entries = split == null ? manifest.entries() : manifest.entries(split);
        return entries.stream().filter(e -> e.hasLabel(label)).count() / (double) entries.size();
    }
}
