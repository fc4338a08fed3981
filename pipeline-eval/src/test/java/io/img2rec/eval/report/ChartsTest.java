package io.img2rec.eval.report;

import io.img2rec.eval.api.EvaluationOptions;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.Evaluator;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.RunFolderFixture;
import io.img2rec.eval.run.FinishedRun;
import io.img2rec.eval.run.RunReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ticks of the unit-axis plots (ROC, precision-recall, F1 against threshold) at round steps. */
class ChartsTest {

    /** A ROC-like curve over 22 negatives: every false-positive rate k/22, the data XChart used to put ticks on. */
    private static XYChart rocOver22Negatives() {
        XYChart chart = Charts.xy("ROC", "false positive rate", "true positive rate");
        double[] x = new double[23];
        double[] y = new double[23];
        for (int k = 0; k <= 22; k++) {
            x[k] = k / 22.0;
            y[k] = Math.sqrt(k / 22.0);
        }
        chart.addSeries("model", x, y);
        chart.addSeries("chance", new double[]{0, 1}, new double[]{0, 1});
        Charts.unitAxes(chart);
        return chart;
    }

    /**
     * Every value XChart considered for a tick while rendering (its formatter sees each candidate), without the
     * axis start itself, which XChart also formats to size the axis but does not draw as a tick.
     */
    private static TreeSet<Double> tickValues(XYChart chart, boolean xAxis) {
        List<Double> seen = new ArrayList<>();
        if (xAxis) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
                seen.add(v);
                return String.format(java.util.Locale.ROOT, "%.1f", v);
            });
        } else {
            chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> {
                seen.add(v);
                return String.format(java.util.Locale.ROOT, "%.1f", v);
            });
        }
        Charts.png(chart);
        TreeSet<Double> ticks = new TreeSet<>(seen);
        ticks.remove(Charts.UNIT_AXIS_START);
        return ticks;
    }

    private static void assertRound(TreeSet<Double> ticks, String axis) {
        assertFalse(ticks.isEmpty(), axis + ": no ticks");
        for (double v : ticks) {
            double tenths = v * 10;
            assertEquals(Math.rint(tenths), tenths, 1e-9, axis + " tick " + v + " is not a multiple of 0.1: " + ticks);
        }
        assertTrue(ticks.contains(0.0) && ticks.contains(1.0) && (ticks.contains(0.2) || ticks.contains(0.5)),
                axis + " ticks should include the ends and a round step: " + ticks);
    }

    @Test
    void unitAxesTickAtRoundStepsEvenWhenTheDataIsEquallySpaced() {
        assertRound(tickValues(rocOver22Negatives(), true), "x");
        assertRound(tickValues(rocOver22Negatives(), false), "y");
        double[] step = new TreeSet<>(tickValues(rocOver22Negatives(), true).subSet(0.0, true, 1.0, true))
                .stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(0.2, step[1] - step[0], 1e-9, "x ticks 0, 0.2 … at this chart size");
    }

    @Test
    void reportPlotsRenderWithRoundTicks(@TempDir Path tmp) throws Exception {
        var vgg = RunFolderFixture.in(tmp, "vgg16").generated(List.of("vgg16"), 12, 1);
        var res = RunFolderFixture.in(tmp, "resnet50").generated(List.of("resnet50"), 12, 2);
        List<FinishedRun> runs = List.of(RunReader.read(vgg.write()), RunReader.read(res.write()));
        EvaluationResult result = new Evaluator(EvaluationOptions.seeded(3)).evaluate(runs);
        LabelEvaluation hat = result.label("hat").orElseThrow();
        for (byte[] png : List.of(Charts.roc(hat).orElseThrow(), Charts.pr(hat).orElseThrow(),
                Charts.f1AgainstThreshold(hat).orElseThrow())) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(Charts.WIDTH, image.getWidth());
            assertEquals(Charts.HEIGHT, image.getHeight());
        }
        String out = System.getenv("IMG2REC_CHARTS_TEST_OUT");
        if (out != null) { // IMG2REC_CHARTS_TEST_OUT=/some/folder to look at them
            Files.createDirectories(Path.of(out));
            Files.write(Path.of(out, "roc-22.png"), Charts.png(rocOver22Negatives()));
            Files.write(Path.of(out, "roc.png"), Charts.roc(hat).orElseThrow());
            Files.write(Path.of(out, "pr.png"), Charts.pr(hat).orElseThrow());
        }
    }
}
