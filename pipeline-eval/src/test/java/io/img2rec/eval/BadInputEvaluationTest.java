package io.img2rec.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.eval.report.ReportFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7: evaluation of a run whose predictions name the bad-input corpus (files with spaces, unicode, leading
 * dashes, a folder, a self-link; the dataset root really holds them): the images the manifest refuses carry NaN
 * scores. The report is written, thumbnails come from the corpus files, the failed images are counted as excluded,
 * and the metrics use every scored image.
 */
class BadInputEvaluationTest {
    @TempDir
    Path tmp;

    @Test
    void nanScoresAreCountedAndUndecodableImagesNeverStopTheReport() throws Exception {
        var fixture = RunFolderFixture.in(tmp, "vgg16").withoutImages();
        List<BadInputCorpus.Item> items = BadInputCorpus.write(fixture.datasetRoot());
        int scored = 0;
        int failed = 0;
        for (int i = 0; i < items.size(); i++) {
            BadInputCorpus.Item item = items.get(i);
            int truth = i % 2;
            boolean ok = item.manifest().isEmpty();
            double score = ok ? (truth == 1 ? 0.6 + 0.01 * i : 0.4 - 0.01 * i) : Double.NaN;
            for (String split : List.of("validation", "test")) {
                fixture.row(split.equals("test") ? item.name() : "val/" + item.name(), split, "vgg16", "hat", truth,
                        score);
            }
            if (ok) {
                scored++;
            } else {
                failed++;
            }
        }
        for (String label : List.of("beard", "eyewear")) { // the fixture's other labels: plainly good rows
            for (int i = 0; i < 6; i++) {
                fixture.row("test/ok" + i + ".png", "test", "vgg16", label, i % 2, i % 2 == 1 ? 0.8 : 0.2);
                fixture.row("val/ok" + i + ".png", "validation", "vgg16", label, i % 2, i % 2 == 1 ? 0.8 : 0.2);
            }
        }
        Path run = fixture.write();

        ReportFiles files = EvaluateMain.run(run.toString(), null, null);

        assertTrue(Files.size(files.html()) > 0);
        JsonNode hat = new ObjectMapper().readTree(files.json().toFile()).get("labels").get("hat").get("models")
                .get("vgg16");
        assertEquals(failed, hat.get("testExcludedNotANumber").asInt(), hat.toString());
        assertEquals(scored, hat.get("testPositives").asInt() + hat.get("testNegatives").asInt());
        assertEquals(1.0, hat.get("rocAuc").asDouble(), 1e-12, hat.toString());
        assertEquals(8, failed);
        assertEquals(15, scored);
    }
}
