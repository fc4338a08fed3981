package io.img2rec.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.core.testing.TestImages;
import io.img2rec.core.testing.WithoutFileAccessOverride;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7: the generated bad-input corpus through the manifest builder; every outcome counted and asserted. */
class BadInputManifestTest {

    private static final List<String> LABELS = List.of("hat", "beard", "eyewear");

    @TempDir
    Path root;

    @Test
    void everyCorpusFileIsAcceptedOrRejectedWithItsReasonAndNoValidFileIsDropped() throws Exception {
        List<BadInputCorpus.Item> items = BadInputCorpus.write(root.resolve("hat"));
        TestImages.writePng(root.resolve("beard/base-beard.png"), 40, 40, new Color(4, 5, 6));
        TestImages.writePng(root.resolve("eyewear/base-eyewear.png"), 40, 40, new Color(7, 8, 9));
        boolean denied = BadInputCorpus.permissionDenialObservable(root.resolve("hat/" + BadInputCorpus.UNREADABLE));

        Map<String, RejectReason> expectedRejected = new TreeMap<>();
        Set<String> expectedKept = new TreeSet<>(Set.of("beard/base-beard.png", "eyewear/base-eyewear.png"));
        for (BadInputCorpus.Item item : items) {
            String path = "hat/" + item.name();
            if (item.name().equals(BadInputCorpus.UNREADABLE) && denied) {
                expectedRejected.put(path, RejectReason.UNREADABLE);
            } else if (item.manifest().isPresent()) {
                expectedRejected.put(path, item.manifest().get());
            } else {
                expectedKept.add(item.kind() == BadInputCorpus.Kind.DIRECTORY
                        ? path + "/" + BadInputCorpus.NESTED_IMAGE : path);
            }
        }

        ManifestScanner scanner = new ManifestScanner(ScanOptions.defaults(LABELS).withThreads(2), false);
        ScanResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> scanner.scan(root),
                "the scan must end (symbolic-link loop) and never decode a bomb");
        result.writeTo(root.resolve("out"));

        Map<String, RejectReason> rejected = result.rejected().stream()
                .collect(Collectors.toMap(Rejected::path, Rejected::reason, (a, b) -> a, TreeMap::new));
        assertEquals(expectedRejected, rejected);
        assertEquals(result.rejected().size(), rejected.size(), "one rejection per file");
        Set<String> kept = result.manifest().entries().stream().map(ManifestEntry::path)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expectedKept, kept, "every valid file is kept, each as its own row");
        // the same, spelled out as counts: 8 of the 23 corpus entries rejected, 15 kept (+ the 2 base images)
        assertEquals(23, items.size());
        assertEquals(denied ? 9 : 8, rejected.size());
        assertEquals(denied ? 16 : 17, kept.size());

        // the manifest and rejected.csv carry the same outcomes (names with spaces, unicode, leading dashes survive)
        assertEquals(expectedKept, ManifestCsv.read(root.resolve("out/manifest.csv"), LABELS).entries().stream()
                .map(ManifestEntry::path).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(expectedRejected, ManifestCsv.readRejected(root.resolve("out/rejected.csv")).stream()
                .collect(Collectors.toMap(Rejected::path, Rejected::reason, (a, b) -> a, TreeMap::new)));

        // bombs are refused from the header: full decodes = kept files + the truncated JPEG (whose decode finds it)
        assertEquals(kept.size() + 1, scanner.inspector().decodeCount(),
                "only the truncated JPEG and the kept images are decoded; both bombs are refused from their header");
        ManifestEntry rotated = result.manifest().entries().stream()
                .filter(e -> e.path().equals("hat/exif-orientation-6.jpg")).findFirst().orElseThrow();
        assertEquals(List.of(40, 60), List.of(rotated.width(), rotated.height()), "EXIF orientation 6 swaps the sides");
        Map<String, String> formats = result.manifest().entries().stream()
                .collect(Collectors.toMap(ManifestEntry::path, ManifestEntry::format));
        assertEquals("gif", formats.get("hat/palette.gif"));
        assertEquals("bmp", formats.get("hat/plain.bmp"));
        assertEquals("jpeg", formats.get("hat/cmyk.jpg"));
    }

    @Test
    void theCmykJpegReallyHasFourComponents() throws Exception {
        BadInputCorpus.write(root);
        byte[] jpeg = Files.readAllBytes(root.resolve("cmyk.jpg"));
        int components = -1;
        for (int i = 2; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && ((jpeg[i + 1] & 0xFF) == 0xC0 || (jpeg[i + 1] & 0xFF) == 0xC2)) {
                components = jpeg[i + 9] & 0xFF; // FF C0, length(2), precision(1), height(2), width(2), count
                break;
            }
        }
        assertEquals(4, components, "SOF of cmyk.jpg");
    }

    @Test
    void aFileWithoutReadPermissionIsRejectedAsUnreadable() throws Exception {
        BadInputCorpus.write(root.resolve("hat"));
        TestImages.writePng(root.resolve("beard/base-beard.png"), 40, 40, new Color(4, 5, 6));
        TestImages.writePng(root.resolve("eyewear/base-eyewear.png"), 40, 40, new Color(7, 8, 9));
        Path locked = root.resolve("hat/" + BadInputCorpus.UNREADABLE);
        if (BadInputCorpus.permissionDenialObservable(locked)) {
            ImageInspector.Outcome outcome = new ImageInspector(ScanOptions.defaults(LABELS)).inspect(locked);
            assertEquals(RejectReason.UNREADABLE, outcome.reason());
            assertTrue(outcome.detail().contains("permission"), outcome.detail());
            return;
        }
        // root reads anything: scan again in a child JVM that lacks the override, and compare with this scan
        var command = WithoutFileAccessOverride.javaCommand(ScanChildProcess.class,
                Stream.concat(Stream.of(root.toString()), LABELS.stream()).toArray(String[]::new));
        Assumptions.assumeTrue(command.isPresent(), "SKIPPED ON PURPOSE: this process reads a mode-000 file anyway "
                + "(root) and /usr/bin/setpriv, which would start a scan without that override, is missing or may not drop "
                + "capabilities here; "
                + "permission denial cannot be observed here");
        List<String> lines = WithoutFileAccessOverride.run(command.get());
        ScanResult here = new ManifestScanner(ScanOptions.defaults(LABELS).withThreads(1), false).scan(root);

        String lockedPath = "hat/" + BadInputCorpus.UNREADABLE;
        String lockedLine = lines.stream().filter(l -> l.startsWith("rejected\t" + lockedPath + "\t")).findFirst()
                .orElseThrow(() -> new AssertionError("the child did not reject " + lockedPath + ":\n" + lines));
        String[] fields = lockedLine.split("\t", 4);
        assertEquals(RejectReason.UNREADABLE.name(), fields[2], lockedLine);
        assertTrue(fields[3].contains("permission"), lockedLine);
        // everything else comes out as it does here: one unreadable file changes nothing for the others
        Set<String> keptHere = here.manifest().entries().stream().map(ManifestEntry::path)
                .filter(p -> !p.equals(lockedPath)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> keptThere = lines.stream().filter(l -> l.startsWith("kept\t")).map(l -> l.substring(5))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(keptHere, keptThere);
        Map<String, String> rejectedHere = here.rejected().stream().collect(Collectors.toMap(Rejected::path,
                r -> r.reason().name(), (a, b) -> a, TreeMap::new));
        Map<String, String> rejectedThere = lines.stream().filter(l -> l.startsWith("rejected\t"))
                .map(l -> l.split("\t", 4)).filter(f -> !f[1].equals(lockedPath))
                .collect(Collectors.toMap(f -> f[1], f -> f[2], (a, b) -> a, TreeMap::new));
        assertEquals(rejectedHere, rejectedThere);
    }
}
