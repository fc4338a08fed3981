package io.img2rec.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCsvTest {

    private static final List<String> LABELS = List.of("hat", "beard", "eyewear");

    @TempDir
    Path dir;

    static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    static Manifest sample() {
        return new Manifest(List.of(
                new ManifestEntry("hat/b, with comma.jpg", List.of("beard/b.jpg", "none/b \"quoted\".jpg"), sha('b'),
                        640, 480, "jpeg", Set.of("hat", "beard"), Split.TRAIN),
                new ManifestEntry("eyewear/a.png", List.of(), sha('a'), 32, 33, "png", Set.of("eyewear"), Split.TEST),
                new ManifestEntry("none/c.gif", List.of(), sha('c'), 100, 50, "gif", Set.of(), Split.VALIDATION),
                new ManifestEntry("hat/d.bmp", List.of(), sha('d'), 100, 50, "bmp", Set.of("hat"), Split.UNASSIGNED)),
                LABELS);
    }

    @Test
    void manifestSurvivesCsvRoundTrip() throws Exception {
        Manifest original = sample();
        Path file = dir.resolve("manifest.csv");

        ManifestCsv.write(original, file);
        Manifest read = ManifestCsv.read(file, LABELS);

        assertEquals(original, read);
        assertEquals(original.contentHash(), read.contentHash());
        assertEquals(original, ManifestCsv.read(file));
        assertTrue(Files.readString(file).startsWith("path,also,sha256,width,height,format,hat,beard,eyewear,split\n"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void entriesAreSortedByPathWhateverTheInputOrder() {
        Manifest manifest = sample();
        assertEquals(List.of("eyewear/a.png", "hat/b, with comma.jpg", "hat/d.bmp", "none/c.gif"),
                manifest.entries().stream().map(ManifestEntry::path).toList());
        List<ManifestEntry> backwards = new java.util.ArrayList<>(manifest.entries());
        java.util.Collections.reverse(backwards);
        Manifest reversed = new Manifest(backwards, LABELS);
        assertEquals(manifest.contentHash(), reversed.contentHash());
    }

    @Test
    void contentHashChangesWithSplit() {
        Manifest manifest = sample();
        assertTrue(!manifest.contentHash().equals(manifest.withSplit(e -> Split.TRAIN).contentHash()));
    }

    @Test
    void readerNamesFileLineAndColumnOfABadCell() throws Exception {
        Path file = dir.resolve("manifest.csv");
        ManifestCsv.write(sample(), file);
        List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).replace(",640,", ",wide,"));
        Files.write(file, lines);

        ManifestException error = assertThrows(ManifestException.class, () -> ManifestCsv.read(file, LABELS));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
        assertTrue(error.getMessage().contains("column 'width'"), error.getMessage());
        assertTrue(error.getMessage().contains("'wide'"), error.getMessage());
    }

    @Test
    void readerRejectsWrongColumnsAndBadLabelCells() throws Exception {
        Path file = dir.resolve("manifest.csv");
        ManifestCsv.write(sample(), file);

        ManifestException columns = assertThrows(ManifestException.class,
                () -> ManifestCsv.read(file, List.of("hat", "beard")));
        assertTrue(columns.getMessage().contains("line 1"), columns.getMessage());

        List<String> lines = Files.readAllLines(file);
        lines.set(1, lines.get(1).replace(",png,0,0,1,", ",png,0,0,yes,"));
        Files.write(file, lines);
        ManifestException cell = assertThrows(ManifestException.class, () -> ManifestCsv.read(file, LABELS));
        assertTrue(cell.getMessage().contains("line 2 column 'eyewear'"), cell.getMessage());

        assertThrows(ManifestException.class, () -> ManifestCsv.read(dir.resolve("missing.csv"), LABELS));
    }

    @Test
    void rejectedSurvivesCsvRoundTrip() throws Exception {
        Path file = dir.resolve("rejected.csv");
        List<Rejected> rejected = List.of(
                new Rejected("hat/z.jpg", RejectReason.CORRUPT_IMAGE, "decoder warning: Premature end, of file"),
                new Rejected("hat/a.jpg", RejectReason.EMPTY_FILE, "0 bytes"));

        ManifestCsv.writeRejected(rejected, file);

        assertEquals(rejected.stream().sorted(Rejected.ORDER).toList(), ManifestCsv.readRejected(file));
        assertTrue(Files.readString(file).startsWith("path,reason,detail\nhat/a.jpg,empty-file,"));
    }
}
