package io.img2rec.eval.report;

import io.img2rec.core.manifest.Split;
import io.img2rec.core.metrics.ConfusionMatrix;
import io.img2rec.core.metrics.MetricValue;
import io.img2rec.core.metrics.PrCurve;
import io.img2rec.core.metrics.RocCurve;
import io.img2rec.core.metrics.ScoredLabels;
import io.img2rec.core.run.EpochRecord;
import io.img2rec.core.run.Prediction;
import io.img2rec.eval.api.ClassBalance;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.eval.api.SplitCounts;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/** XChart plots of an evaluation, as PNG bytes; empty when there is nothing to draw. */
final class Charts {

    static final int WIDTH = 560;
    static final int HEIGHT = 400;

    private Charts() {
    }

    /** ROC curves of every model with a defined curve, the ensemble drawn thicker, and the chance diagonal. */
    static Optional<byte[]> roc(LabelEvaluation label) {
        XYChart chart = xy("ROC on test: " + label.label(), "false positive rate", "true positive rate");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        boolean any = false;
        for (ModelEvaluation m : label.models()) {
            RocCurve roc = m.atTuned().roc();
            if (roc.isDefined()) {
                XYSeries s = chart.addSeries(m.model() + " (AUC " + Format.number(roc.auc()) + ")", roc.fpr(),
                        roc.tpr());
                style(s, m.ensemble());
                any = true;
            }
        }
        if (!any) {
            return Optional.empty();
        }
        XYSeries diagonal = chart.addSeries("chance (AUC 0.5)", new double[]{0, 1}, new double[]{0, 1});
        diagonal.setLineStyle(SeriesLines.DASH_DASH);
        diagonal.setLineColor(Color.GRAY);
        diagonal.setMarker(SeriesMarkers.NONE);
        unitAxes(chart);
        return Optional.of(png(chart));
    }

    static Optional<byte[]> pr(LabelEvaluation label) {
        XYChart chart = xy("Precision-recall on test: " + label.label(), "recall", "precision");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        boolean any = false;
        for (ModelEvaluation m : label.models()) {
            PrCurve pr = m.atTuned().pr();
            if (pr.isDefined()) {
                XYSeries s = chart.addSeries(m.model() + " (AP " + Format.number(pr.averagePrecision()) + ")",
                        pr.recall(), pr.precision());
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                style(s, m.ensemble());
                any = true;
            }
        }
        if (!any) {
            return Optional.empty();
        }
        unitAxes(chart);
        return Optional.of(png(chart));
    }

    /** Test F1 of every model over thresholds 0..1, and the ensemble's validation F1 with its chosen threshold. */
    static Optional<byte[]> f1AgainstThreshold(LabelEvaluation label) {
        XYChart chart = xy("F1 against threshold: " + label.label(), "threshold (score >= t is positive)", "F1");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        boolean any = false;
        for (ModelEvaluation m : label.models()) {
            any |= addF1Series(chart, m.model() + " (test)", m.test().toScoredLabels(""), m.ensemble(), false);
            if (m.ensemble()) {
                addF1Series(chart, m.model() + " (validation)", m.validation().toScoredLabels(""), false, true);
                double t = m.threshold().threshold();
                if (any && t >= 0 && t <= 1) {
                    XYSeries line = chart.addSeries("chosen threshold " + Format.number(t),
                            new double[]{t, t}, new double[]{0, 1});
                    line.setLineColor(Color.RED);
                    line.setLineStyle(SeriesLines.DOT_DOT);
                    line.setMarker(SeriesMarkers.NONE);
                }
            }
        }
        if (!any) {
            return Optional.empty();
        }
        unitAxes(chart);
        return Optional.of(png(chart));
    }

    private static boolean addF1Series(XYChart chart, String name, ScoredLabels sample, boolean thick,
                                       boolean dashed) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            double t = i / 100.0;
            MetricValue f1 = ConfusionMatrix.of(sample, t).f1();
            if (f1.isDefined()) {
                xs.add(t);
                ys.add(f1.orElseThrow());
            }
        }
        if (xs.isEmpty()) {
            return false;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        style(s, thick);
        if (dashed) {
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
        return true;
    }

    /** Positive share of each label on each non-empty split. */
    static Optional<byte[]> classBalance(List<String> labels, SplitCounts counts) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Share of positive images per split").xAxisTitle("label").yAxisTitle("positives / images")
                .build();
        commonStyle(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        boolean any = false;
        for (Split split : Prediction.SPLITS) {
            List<Double> shares = new ArrayList<>();
            boolean nonEmpty = false;
            for (String label : labels) {
                ClassBalance b = counts.balance(label, split);
                nonEmpty |= b.total() > 0;
                shares.add(b.total() == 0 ? 0.0 : (double) b.positives() / b.total());
            }
            if (nonEmpty) {
                chart.addSeries(split.code(), labels, shares);
                any = true;
            }
        }
        return any ? Optional.of(png(chart)) : Optional.empty();
    }

    /** Loss per epoch (train and validation, both phases) of one model and label; phases run one after the other. */
    static Optional<byte[]> trainingLoss(String title, List<EpochRecord> epochs) {
        return training(title, "loss", epochs, List.of(
                new Metric("train loss", EpochRecord::trainLoss, false),
                new Metric("validation loss", EpochRecord::validationLoss, true)));
    }

    static Optional<byte[]> trainingAuc(String title, List<EpochRecord> epochs) {
        return training(title, "validation metric", epochs, List.of(
                new Metric("validation AUC", EpochRecord::validationAuc, false),
                new Metric("validation accuracy", EpochRecord::validationAccuracy, true)));
    }

    private record Metric(String name, Function<EpochRecord, OptionalDouble> value, boolean dashed) {
    }

    private static Optional<byte[]> training(String title, String yTitle, List<EpochRecord> epochs,
                                             List<Metric> metrics) {
        XYChart chart = xy(title, "epoch (phases in order)", yTitle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> phases = epochs.stream().map(EpochRecord::phase).distinct()
                .sorted((a, b) -> Integer.compare(phaseOrder(a), phaseOrder(b))).toList();
        int offset = 0;
        boolean any = false;
        for (String phase : phases) {
            List<EpochRecord> rows = epochs.stream().filter(e -> e.phase().equals(phase))
                    .sorted((a, b) -> Integer.compare(a.epoch(), b.epoch())).toList();
            int maxEpoch = 0;
            for (Metric metric : metrics) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (EpochRecord r : rows) {
                    OptionalDouble v = metric.value().apply(r);
                    if (v.isPresent()) {
                        xs.add((double) (offset + r.epoch()));
                        ys.add(v.getAsDouble());
                    }
                }
                if (!xs.isEmpty()) {
                    XYSeries s = chart.addSeries(metric.name() + " (" + phase + ")", xs, ys);
                    s.setMarker(SeriesMarkers.CIRCLE);
                    if (metric.dashed()) {
                        s.setLineStyle(SeriesLines.DASH_DASH);
                    }
                    any = true;
                }
            }
            for (EpochRecord r : rows) {
                maxEpoch = Math.max(maxEpoch, r.epoch());
            }
            offset += maxEpoch;
        }
        return any ? Optional.of(png(chart)) : Optional.empty();
    }

    private static int phaseOrder(String phase) {
        return switch (phase.toLowerCase(Locale.ROOT)) {
            case "top" -> 0;
            case "fine_tune" -> 1;
            default -> 2;
        };
    }

    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        commonStyle(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    private static void commonStyle(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setPlotBorderVisible(true);
        styler.setAntiAlias(true);
    }

    /**
     * Where both axes of a unit chart start: a hair below 0, not 0. XChart 3.8.8 puts an XY axis's ticks at the
     * data's own values whenever the distinct values (in series order, axis ends included) are equally spaced — as
     * the false-positive rates of a ROC curve over n negatives are (k/n) — which gave ticks at 0.05, 0.09, 0.14 …
     * for n = 22. With the axis starting 1e-9 below 0 the first gap is 1e-9 and that test fails for any data, so
     * XChart's own round steps (1, 2 or 5 × 10^k; 0.2 at this size) are used. The offset is far below a pixel.
     */
    static final double UNIT_AXIS_START = -1e-9;

    /** Both axes from 0 to 1, ticks at round steps labelled 0.0, 0.2 … 1.0. */
    static void unitAxes(XYChart chart) {
        chart.getStyler().setXAxisMin(UNIT_AXIS_START);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(UNIT_AXIS_START);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.getStyler().setYAxisDecimalPattern("0.0#");
    }

    private static void style(XYSeries series, boolean thick) {
        series.setMarker(SeriesMarkers.NONE);
        if (thick) {
            series.setLineWidth(3.5f);
        }
    }

    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle() + "' as PNG", e);
        }
    }

}
