package io.img2rec.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.testing.TestImages;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

class ManifestSummaryTest {

    private static final List<String> LABELS = List.of("hat", "beard", "eyewear");

    @TempDir
    Path root;

    private static Row row(Table table, String keyColumn, String key) {
        for (Row row : table) {
            if (row.getString(keyColumn).equals(key)) {
                return row;
            }
        }
        throw new AssertionError("no row " + key + " in\n" + table.print());
    }

    private static Row row(Table table, String split, String label, boolean unused) {
        for (Row row : table) {
            if (row.getString("split").equals(split) && row.getString("label").equals(label)) {
                return row;
            }
        }
        throw new AssertionError("no row " + split + "/" + label + " in\n" + table.print());
    }

    @Test
    void summaryCountsAKnownFolder() throws Exception {
        TestImages.writePng(root.resolve("hat/h1.png"), 100, 200, Color.RED);       // hat + beard (copy below)
        TestImages.writePng(root.resolve("beard/b1.png"), 100, 200, Color.RED);
        TestImages.writePng(root.resolve("hat/h2.png"), 400, 300, Color.BLUE);      // hat
        TestImages.writePng(root.resolve("beard/b2.png"), 160, 160, Color.GREEN);   // beard
        TestImages.writePng(root.resolve("eyewear/e1.png"), 800, 700, Color.CYAN);  // eyewear
        TestImages.writePng(root.resolve("none/n1.png"), 50, 60, Color.BLACK);      // background
        TestImages.writeEmpty(root.resolve("hat/empty.png"));
        TestImages.writeHtml(root.resolve("beard/page.png"));
        ScanResult scan = new ManifestScanner(ScanOptions.defaults(LABELS), false).scan(root);
        // Put the hat-only and background images in test, everything else in train.
        Manifest manifest = scan.manifest().withSplit(e ->
                e.path().equals("hat/h2.png") || e.path().equals("none/n1.png") ? Split.TEST : Split.TRAIN);

        ManifestSummary summary = ManifestSummary.of(manifest, scan.rejected());

        Row hat = row(summary.imagesPerLabel(), "label", "hat");
        assertEquals(2, hat.getInt("images"));
        assertEquals(1, hat.getInt("train"));
        assertEquals(1, hat.getInt("test"));
        assertEquals(2, row(summary.imagesPerLabel(), "label", "beard").getInt("images"));
        assertEquals(1, row(summary.imagesPerLabel(), "label", "eyewear").getInt("images"));
        assertEquals(1, row(summary.imagesPerLabel(), "label", "(none)").getInt("images"));

        Row hatRow = row(summary.coOccurrence(), "label", "hat");
        assertEquals(2, hatRow.getInt("hat"));
        assertEquals(1, hatRow.getInt("beard"));
        assertEquals(0, hatRow.getInt("eyewear"));

        Row allHat = row(summary.classBalance(), "all", "hat", true);
        assertEquals(5, allHat.getInt("images"));
        assertEquals(2, allHat.getInt("positives"));
        assertEquals(3, allHat.getInt("negatives"));
        assertEquals(0.4, allHat.getDouble("positiveRate"), 1e-12);
        Row testHat = row(summary.classBalance(), "test", "hat", true);
        assertEquals(2, testHat.getInt("images"));
        assertEquals(0.5, testHat.getDouble("positiveRate"), 1e-12);

        // shorter sides: 100, 300, 160, 700, 50 ; widths 100, 400, 160, 800, 50 ; heights 200, 300, 160, 700, 60
        Row width = row(summary.sizeStats(), "measure", "width");
        assertEquals(50, width.getDouble("min"));
        assertEquals(160, width.getDouble("median"));
        assertEquals(800, width.getDouble("max"));
        Row height = row(summary.sizeStats(), "measure", "height");
        assertEquals(60, height.getDouble("min"));
        assertEquals(200, height.getDouble("median"));
        assertEquals(700, height.getDouble("max"));
        assertEquals(2, row(summary.sizeBins(), "shorterSide", "<150").getInt("images"));
        assertEquals(1, row(summary.sizeBins(), "shorterSide", "150-299").getInt("images"));
        assertEquals(1, row(summary.sizeBins(), "shorterSide", "300-599").getInt("images"));
        assertEquals(1, row(summary.sizeBins(), "shorterSide", ">=600").getInt("images"));

        assertEquals(1, row(summary.rejectsByReason(), "reason", "empty-file").getInt("files"));
        assertEquals(1, row(summary.rejectsByReason(), "reason", "not-an-image").getInt("files"));
        assertEquals(0, row(summary.rejectsByReason(), "reason", "too-small").getInt("files"));

        List<Path> files = summary.saveCsv(root.resolve("summary"));
        assertEquals(6, files.size());
        assertTrue(Files.readString(root.resolve("summary/rejects-by-reason.csv")).contains("empty-file,1"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        summary.print(new PrintStream(printed, true));
        assertTrue(printed.toString().contains("Label co-occurrence"));
    }
}
