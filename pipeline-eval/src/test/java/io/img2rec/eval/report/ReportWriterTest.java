package io.img2rec.eval.report;

import io.img2rec.eval.api.EvaluationOptions;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.Evaluator;
import io.img2rec.eval.RunFolderFixture;
import io.img2rec.eval.run.FinishedRun;
import io.img2rec.eval.run.RunReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {

    static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-02-03T04:05:06Z"), ZoneOffset.UTC);

    /** A VGG16 run and a ResNet50 run, evaluated together, reported into {@code out}. */
    static ReportFiles twoRunReport(Path tmp, Path out, boolean randomWeights) throws Exception {
        var vgg = RunFolderFixture.in(tmp, "vgg16").generated(List.of("vgg16"), 12, 1);
        if (randomWeights) {
            vgg.randomWeights();
        }
        var res = RunFolderFixture.in(tmp, "resnet50").generated(List.of("resnet50"), 12, 2);
        List<FinishedRun> runs = List.of(RunReader.read(vgg.write()), RunReader.read(res.write()));
        EvaluationResult result = new Evaluator(EvaluationOptions.seeded(3)).evaluate(runs);
        return new ReportWriter(CLOCK).write(result, runs, out);
    }

    static List<BufferedImage> embeddedImages(String html) throws Exception {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = DATA_URI.matcher(html);
        while (m.find()) {
            images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
        }
        return images;
    }

    private static void assertNoNotANumber(ReportFiles files) throws Exception {
        for (Path f : List.of(files.html(), files.json(), files.csv())) {
            // base64 image data may spell "NaN" by chance; only the text around it counts
            String text = DATA_URI.matcher(Files.readString(f)).replaceAll("src=\"\"");
            assertFalse(text.contains("NaN"), f.getFileName() + " contains NaN");
            assertFalse(text.contains("Infinity"), f.getFileName() + " contains Infinity");
        }
    }

    @Test
    void reportHasEverySectionEmbeddedImagesAndMetricsFiles(@TempDir Path tmp) throws Exception {
        ReportFiles files = twoRunReport(tmp, tmp.resolve("out"), false);
        String html = Files.readString(files.html());
        for (String id : List.of("summary", "data", "labels", "averages", "classification-report", "training",
                "hardest", "checkpoints", "method")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), "section " + id);
        }
        for (String text : List.of("man456", "abc1234", "CpuBackend", "imagenet:dl4j-zoo", "vgg16", "resnet50",
                "ensemble", "href=\"metrics.json\"", "href=\"metrics.csv\"", "2m 18s", "ROC curves for hat",
                "Precision-recall curves for beard", "F1 against threshold for eyewear", "Loss per epoch",
                "Share of positive images", "actual 1", "micro avg", "macro avg", "Top false positives")) {
            assertTrue(html.contains(text), "report mentions " + text);
        }
        assertFalse(html.contains("random-weights-warning"));
        assertFalse(html.contains("<script"), "the report needs no scripts");
        assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "no network resources");
        List<BufferedImage> images = embeddedImages(html);
        assertTrue(images.size() > 20, images.size() + " images");
        for (BufferedImage image : images) {
            assertNotNull(image, "every data URI decodes as PNG");
            assertTrue(image.getWidth() > 0 && image.getHeight() > 0);
        }
        assertTrue(images.stream().anyMatch(i -> i.getWidth() == HtmlReport.THUMBNAIL_PX), "thumbnails embedded");
        assertTrue(files.plots().size() >= 12);
        assertNoNotANumber(files);
        String json = Files.readString(files.json());
        assertTrue(json.contains("\"rocAuc\"") && json.contains("\"seed\" : 3"), json.substring(0, 400));
        assertTrue(json.contains("\"formatVersion\" : " + MetricsExport.FORMAT_VERSION), json.substring(0, 400));
        List<String> csv = Files.readAllLines(files.csv());
        assertEquals(String.join(",", MetricsExport.CSV_COLUMNS), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.matches("ensemble,hat,test,none,,roc_auc,[01]\\.[0-9E-]+,")), csv.get(1));
    }

    @Test
    void randomWeightsGetAProminentWarning(@TempDir Path tmp) throws Exception {
        String html = Files.readString(twoRunReport(tmp, tmp.resolve("out"), true).html());
        assertTrue(html.contains("id=\"random-weights-warning\""));
        assertTrue(html.contains("Warning: random weights"));
        assertTrue(html.contains("random (ImageNet weights unavailable: offline)"));
    }

    @Test
    void badInputStillGivesAReportWithReasons(@TempDir Path tmp) throws Exception {
        // 'hat' has one class on test, 'beard' has an empty test split, 'eyewear' scores are partly not numbers;
        // no checkpoints, no provenance, no summary, no epochs, no images on disk.
        var fixture = RunFolderFixture.in(tmp, "broken").withoutCheckpoints().withoutProvenance().withoutSummary()
                .withoutEpochs().withoutImages()
                .row("v1.png", "validation", "vgg16", "hat", 1, 0.9).row("v2.png", "validation", "vgg16", "hat", 0, 0.2)
                .row("t1.png", "test", "vgg16", "hat", 0, 0.7).row("t2.png", "test", "vgg16", "hat", 0, 0.1)
                .row("t3.png", "test", "vgg16", "hat", 0, 0.95)
                .row("v1.png", "validation", "vgg16", "beard", 1, 0.6)
                .row("v1.png", "validation", "vgg16", "eyewear", 1, Double.NaN)
                .row("t1.png", "test", "vgg16", "eyewear", 1, Double.NaN)
                .row("t2.png", "test", "vgg16", "eyewear", 0, 0.3)
                .row("t3.png", "test", "vgg16", "eyewear", 1, 0.8);
        List<FinishedRun> runs = List.of(RunReader.read(fixture.write()));
        EvaluationResult result = new Evaluator(EvaluationOptions.seeded(1)).evaluate(runs);
        ReportFiles files = new ReportWriter(CLOCK).write(result, runs, runs.get(0).dir());
        assertEquals(runs.get(0).dir().resolve("report.html"), files.html());
        String html = Files.readString(files.html());
        assertTrue(html.contains("N/A (no positive examples for &#39;hat&#39;"), "single-class AUC reason");
        assertTrue(html.contains("N/A (no examples for &#39;beard&#39;"), "empty test split reason");
        assertTrue(html.contains("were not numbers (failed images) and were excluded"), "excluded scores noted");
        assertTrue(html.contains("N/A (checkpoint vgg16-hat-best.zip and sidecar"), "missing checkpoint reason");
        assertTrue(html.contains("has no provenance.json"));
        assertTrue(html.contains("N/A (no metrics-epochs.csv rows in any run)"));
        assertTrue(html.contains("Omitted (image not available)"), "missing thumbnails noted");
        assertNoNotANumber(files);
        for (BufferedImage image : embeddedImages(html)) {
            assertNotNull(image);
        }
        String json = Files.readString(files.json());
        assertTrue(json.contains("\"rocAucNA\""), "undefined metrics carry reasons in JSON");
    }
}
