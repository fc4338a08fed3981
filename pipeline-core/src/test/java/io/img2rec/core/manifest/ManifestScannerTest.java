package io.img2rec.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestScannerTest {

    private static final List<String> LABELS = List.of("hat", "beard", "eyewear");

    @TempDir
    Path root;

    private ScanResult scan(int threads) throws ManifestException {
        return new ManifestScanner(ScanOptions.defaults(LABELS).withThreads(threads), false).scan(root);
    }

    private void labelFoldersWithOneImageEach() throws IOException {
        TestImages.writePng(root.resolve("hat/base-hat.png"), 40, 40, new Color(1, 2, 3));
        TestImages.writePng(root.resolve("beard/base-beard.png"), 40, 40, new Color(4, 5, 6));
        TestImages.writePng(root.resolve("eyewear/base-eyewear.png"), 40, 40, new Color(7, 8, 9));
    }

    private static ManifestEntry entryAt(Manifest manifest, String path) {
        return manifest.entries().stream().filter(e -> e.allPaths().contains(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry holds " + path + " in " + manifest.entries()));
    }

    private static Map<String, RejectReason> reasons(ScanResult result) {
        return result.rejected().stream().collect(Collectors.toMap(Rejected::path, Rejected::reason, (a, b) -> a, TreeMap::new));
    }

    @Test
    void manifestMergesCopiesAcrossLabelFolders() throws Exception {
        TestImages.writePng(root.resolve("hat/a.png"), 40, 40, Color.RED);
        TestImages.writePng(root.resolve("beard/renamed.png"), 40, 40, Color.RED);
        TestImages.writePng(root.resolve("eyewear/c.png"), 50, 40, Color.BLUE);
        TestImages.writePng(root.resolve("hat/sub/deeper/e.png"), 50, 40, Color.BLUE);
        TestImages.writePng(root.resolve("none/bg.png"), 40, 60, Color.GREEN);

        ScanResult result = scan(2);
        Manifest manifest = result.manifest();

        assertEquals(3, manifest.size(), manifest.entries().toString());
        ManifestEntry red = entryAt(manifest, "hat/a.png");
        assertEquals("beard/renamed.png", red.path());
        assertEquals(List.of("hat/a.png"), red.alsoPaths());
        assertEquals(Set.of("hat", "beard"), red.labels());
        ManifestEntry blue = entryAt(manifest, "eyewear/c.png");
        assertEquals(List.of("hat/sub/deeper/e.png"), blue.alsoPaths());
        assertEquals(Set.of("hat", "eyewear"), blue.labels());
        assertEquals(50, blue.width());
        assertEquals("png", blue.format());
        ManifestEntry background = entryAt(manifest, "none/bg.png");
        assertTrue(background.labels().isEmpty());
        assertTrue(result.rejected().isEmpty(), result.rejected().toString());
        assertTrue(manifest.entries().stream().allMatch(e -> e.split() == Split.UNASSIGNED));
    }

    @Test
    void sameNameDifferentContentGivesTwoRows() throws Exception {
        labelFoldersWithOneImageEach();
        TestImages.writePng(root.resolve("hat/x.png"), 40, 40, Color.RED);
        TestImages.writePng(root.resolve("beard/x.png"), 40, 40, Color.BLUE);

        Manifest manifest = scan(2).manifest();

        assertEquals(Set.of("hat"), entryAt(manifest, "hat/x.png").labels());
        assertEquals(Set.of("beard"), entryAt(manifest, "beard/x.png").labels());
        assertEquals(5, manifest.size());
    }

    @Test
    void badFileCorpusIsRejectedWithTheRightReasonAndValidFilesAreKept() throws Exception {
        labelFoldersWithOneImageEach();
        Path hat = root.resolve("hat");
        TestImages.writeJpeg(hat.resolve("ok.jpg"), 64, 48, Color.ORANGE);
        TestImages.writeBmp(hat.resolve("ok.bmp"), 40, 40, Color.PINK);
        TestImages.writeGif(hat.resolve("ok.gif"), 40, 40, Color.CYAN);
        TestImages.writeJpeg(hat.resolve("really-a-jpeg.png"), 40, 40, Color.MAGENTA);
        TestImages.writePng(hat.resolve("x.jpg/inside.png"), 40, 40, Color.YELLOW); // a folder named like an image
        TestImages.writeEmpty(hat.resolve("empty.jpg"));
        TestImages.writeHtml(hat.resolve("page.jpg"));
        TestImages.writeTruncatedJpeg(hat.resolve("truncated.jpg"), 96, 96, 0.5);
        TestImages.writePngWithBadCrc(hat.resolve("bad-crc.png"), 48, 48);
        TestImages.writePngHeaderClaiming(hat.resolve("bomb.png"), 30_000, 30_000);
        TestImages.writePng(hat.resolve("tiny.png"), 10, 10, Color.GRAY);
        TestImages.write(hat.resolve("scan.jpg"), new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        TestImages.write(hat.resolve("notes.txt"), "hello".getBytes());
        Files.createSymbolicLink(hat.resolve("gone.jpg"), hat.resolve("does-not-exist.jpg"));
        TestImages.writePng(root.resolve("stray/unused.png"), 40, 40, Color.WHITE);
        TestImages.writePng(root.resolve("Hat/wrong-case.png"), 40, 40, Color.WHITE);

        ScanResult result = scan(3);
        result.writeTo(root.resolve("out"));

        Map<String, RejectReason> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("hat/empty.jpg", RejectReason.EMPTY_FILE),
                Map.entry("hat/page.jpg", RejectReason.NOT_AN_IMAGE),
                Map.entry("hat/truncated.jpg", RejectReason.CORRUPT_IMAGE),
                Map.entry("hat/bad-crc.png", RejectReason.CORRUPT_IMAGE),
                Map.entry("hat/bomb.png", RejectReason.TOO_MANY_PIXELS),
                Map.entry("hat/tiny.png", RejectReason.TOO_SMALL),
                Map.entry("hat/scan.jpg", RejectReason.UNSUPPORTED_FORMAT),
                Map.entry("hat/notes.txt", RejectReason.UNSUPPORTED_FORMAT),
                Map.entry("hat/gone.jpg", RejectReason.BROKEN_SYMLINK),
                Map.entry("stray/unused.png", RejectReason.NOT_A_LABEL_FOLDER),
                Map.entry("Hat/wrong-case.png", RejectReason.NOT_A_LABEL_FOLDER)));
        List<Rejected> fromCsv = ManifestCsv.readRejected(root.resolve("out/rejected.csv"));
        Map<String, RejectReason> written = fromCsv.stream()
                .collect(Collectors.toMap(Rejected::path, Rejected::reason, (a, b) -> a, TreeMap::new));
        assertEquals(expected, written);
        assertEquals(expected, reasons(result));
        assertTrue(fromCsv.stream().filter(r -> r.path().equals("hat/bad-crc.png")).findFirst().orElseThrow()
                .detail().contains("CRC"));

        Manifest manifest = ManifestCsv.read(root.resolve("out/manifest.csv"), LABELS);
        Set<String> kept = manifest.entries().stream().map(ManifestEntry::path).collect(Collectors.toSet());
        assertEquals(Set.of("hat/base-hat.png", "beard/base-beard.png", "eyewear/base-eyewear.png", "hat/ok.jpg",
                "hat/ok.bmp", "hat/ok.gif", "hat/really-a-jpeg.png", "hat/x.jpg/inside.png"), kept);
        assertEquals("jpeg", entryAt(manifest, "hat/really-a-jpeg.png").format());
        assertEquals("gif", entryAt(manifest, "hat/ok.gif").format());
    }

    @Test
    void hiddenFilesAreIgnoredSilently() throws Exception {
        labelFoldersWithOneImageEach();
        TestImages.write(root.resolve("hat/.DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        TestImages.write(root.resolve("hat/._base-hat.png"), new byte[] {0, 5, 22, 7});
        TestImages.writePng(root.resolve("hat/.thumbs/t.png"), 40, 40, Color.RED);
        TestImages.writeHtml(root.resolve(".git/config.jpg"));

        ScanResult result = scan(1);

        assertTrue(result.rejected().isEmpty(), result.rejected().toString());
        assertEquals(3, result.manifest().size());
    }

    @Test
    void exifOrientationSixSwapsRecordedWidthAndHeight() throws Exception {
        labelFoldersWithOneImageEach();
        TestImages.writeJpegWithExifOrientation(root.resolve("hat/rotated-le.jpg"), 64, 40, Color.RED, 6, ByteOrder.LITTLE_ENDIAN);
        TestImages.writeJpegWithExifOrientation(root.resolve("hat/rotated-be.jpg"), 64, 40, Color.BLUE, 6, ByteOrder.BIG_ENDIAN);
        TestImages.writeJpegWithExifOrientation(root.resolve("hat/upside-down.jpg"), 64, 40, Color.GREEN, 3, ByteOrder.BIG_ENDIAN);

        Manifest manifest = scan(2).manifest();

        for (String rotated : List.of("hat/rotated-le.jpg", "hat/rotated-be.jpg")) {
            ManifestEntry entry = entryAt(manifest, rotated);
            assertEquals(40, entry.width(), rotated);
            assertEquals(64, entry.height(), rotated);
        }
        ManifestEntry upsideDown = entryAt(manifest, "hat/upside-down.jpg");
        assertEquals(64, upsideDown.width());
        assertEquals(40, upsideDown.height());
    }

    @Test
    void pixelLimitCheckNeverDecodes() throws Exception {
        Path bomb = TestImages.writePngHeaderClaiming(root.resolve("bomb.png"), 30_000, 30_000);
        ImageInspector inspector = new ImageInspector(ScanOptions.defaults(LABELS));

        ImageInspector.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> inspector.inspect(bomb));

        assertEquals(RejectReason.TOO_MANY_PIXELS, outcome.reason());
        assertTrue(outcome.detail().contains("30000x30000"), outcome.detail());
        assertEquals(0, inspector.decodeCount());
    }

    @Test
    void symbolicLinkLoopDoesNotHang() throws Exception {
        labelFoldersWithOneImageEach();
        Files.createSymbolicLink(root.resolve("hat/loop"), root.resolve("hat"));
        Files.createSymbolicLink(root.resolve("beard/to-hat"), root.resolve("hat"));

        ScanResult result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> scan(2));

        assertEquals(Set.of("hat", "beard"), entryAt(result.manifest(), "hat/base-hat.png").labels());
    }

    @Test
    void resultDoesNotDependOnThreadCount() throws Exception {
        labelFoldersWithOneImageEach();
        for (int i = 0; i < 30; i++) {
            TestImages.writePng(root.resolve(LABELS.get(i % 3) + "/img" + i + ".png"), 40, 40, new Color(i * 8, 100, 200));
            TestImages.writePng(root.resolve(LABELS.get((i + 1) % 3) + "/copy" + i + ".png"), 40, 40, new Color(i * 8, 100, 200));
        }
        TestImages.writeEmpty(root.resolve("hat/empty.png"));

        ScanResult one = scan(1);
        ScanResult four = scan(4);

        assertEquals(one.manifest().toCsv(), four.manifest().toCsv());
        assertEquals(one.manifest().contentHash(), four.manifest().contentHash());
        assertEquals(one.rejected(), four.rejected());
        assertEquals(33, one.manifest().size());
    }

    @Test
    void scanWithProgressBarGivesTheSameResult() throws Exception {
        labelFoldersWithOneImageEach();
        ScanResult quiet = scan(2);
        ScanResult withBar = new ManifestScanner(ScanOptions.defaults(LABELS).withThreads(2), true).scan(root);
        assertEquals(quiet, withBar);
    }

    @Test
    void missingLabelFolderNamesTheFolderAndWhatToDo() throws Exception {
        TestImages.writePng(root.resolve("hat/a.png"), 40, 40, Color.RED);
        TestImages.writePng(root.resolve("beard/a.png"), 40, 40, Color.RED);

        ManifestException error = assertThrows(ManifestException.class, () -> scan(1));

        assertTrue(error.getMessage().contains("'eyewear'"), error.getMessage());
        assertTrue(error.getMessage().contains("create it or remove"), error.getMessage());
    }

    @Test
    void emptyLabelFolderIsAnError() throws Exception {
        TestImages.writePng(root.resolve("hat/a.png"), 40, 40, Color.RED);
        TestImages.writePng(root.resolve("beard/a.png"), 40, 40, Color.RED);
        Files.createDirectories(root.resolve("eyewear"));
        TestImages.write(root.resolve("eyewear/.DS_Store"), new byte[] {1});

        ManifestException error = assertThrows(ManifestException.class, () -> scan(1));

        assertTrue(error.getMessage().contains("eyewear"), error.getMessage());
        assertTrue(error.getMessage().contains("holds no files"), error.getMessage());
    }

    @Test
    void missingDatasetRootIsAnError() {
        ManifestScanner scanner = new ManifestScanner(ScanOptions.defaults(LABELS), false);
        ManifestException error = assertThrows(ManifestException.class, () -> scanner.scan(root.resolve("nowhere")));
        assertTrue(error.getMessage().contains("nowhere"));
    }

    @Test
    void scanOptionsRejectBadValuesByName() {
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> ScanOptions.defaults(LABELS).withThreads(0));
        assertTrue(threads.getMessage().contains("threads"));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults(List.of()));
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> ScanOptions.defaults(List.of("hat", "split")));
        assertTrue(reserved.getMessage().contains("'split'"));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults(List.of("hat", "hat")));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults(List.of("../hat")));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults(LABELS).withMaxPixels(0));
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults(LABELS).withBackgroundFolders(List.of("hat")));
        ScanOptions options = new ScanOptions(LABELS, null, 10, 1, 1, Set.of(".JPG"));
        assertEquals(Set.of("jpg"), options.extensions());
        assertEquals(List.of("none"), options.backgroundFolders());
        assertFalse(options.labels().isEmpty());
    }
}
