package io.img2rec.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.metrics.AveragedMetrics;
import io.img2rec.core.metrics.BinaryMetrics;
import io.img2rec.core.metrics.BootstrapInterval;
import io.img2rec.core.metrics.MetricValue;
import io.img2rec.core.run.Prediction;
import io.img2rec.eval.api.ClassBalance;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.api.ModelAverages;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.eval.run.FinishedRun;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/**
 * {@code metrics.json} and {@code metrics.csv}: every number at full precision. A defined metric is a JSON number;
 * an undefined one is {@code null} with a sibling {@code <name>NA} holding the reason (in the CSV: an empty
 * {@code value} and a {@code na_reason}). {@code metrics.json} carries {@code formatVersion} ({@link #FORMAT_VERSION}).
 */
final class MetricsExport {
    /** The version of {@code metrics.json} written; a field added or changed in meaning raises it. */
    static final int FORMAT_VERSION = 1;

    static final List<String> CSV_COLUMNS = List.of("model", "label", "split", "threshold_kind", "threshold",
            "metric", "value", "na_reason");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsExport() {
    }

    static String json(EvaluationResult result, List<FinishedRun> runs, String generatedAt) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("generatedAt", generatedAt);
        root.put("evaluatedSplit", Split.TEST.code());
        root.put("thresholdChosenOn", Split.VALIDATION.code());
        root.put("defaultThreshold", result.options().defaultThreshold());
        ObjectNode bootstrap = root.putObject("bootstrap");
        bootstrap.put("seed", result.options().bootstrap().seed());
        bootstrap.put("resamples", result.options().bootstrap().resamples());
        bootstrap.put("confidence", result.options().bootstrap().confidence());
        ArrayNode runArray = root.putArray("runs");
        for (FinishedRun run : runs) {
            ObjectNode r = runArray.addObject();
            r.put("dir", run.dir().toString());
            r.put("configName", run.configName());
            run.datasetRoot().ifPresent(d -> r.put("datasetRoot", d.toString()));
            run.provenance().ifPresent(p -> r.set("provenance", JSON.valueToTree(p)));
        }
        ObjectNode counts = root.putObject("counts");
        ObjectNode images = counts.putObject("images");
        for (Split s : Prediction.SPLITS) {
            images.put(s.code(), result.counts().images(s));
        }
        ObjectNode byLabel = counts.putObject("byLabel");
        for (String label : result.labels()) {
            ObjectNode l = byLabel.putObject(label);
            for (Split s : Prediction.SPLITS) {
                ClassBalance b = result.counts().balance(label, s);
                ObjectNode o = l.putObject(s.code());
                o.put("positives", b.positives());
                o.put("negatives", b.negatives());
            }
        }
        ObjectNode labels = root.putObject("labels");
        for (LabelEvaluation le : result.perLabel()) {
            ObjectNode models = labels.putObject(le.label()).putObject("models");
            for (ModelEvaluation m : le.models()) {
                ObjectNode o = models.putObject(m.model());
                o.put("ensemble", m.ensemble());
                o.put("testPositives", m.atTuned().positives());
                o.put("testNegatives", m.atTuned().negatives());
                o.put("testExcludedNotANumber", m.atTuned().excludedNaN());
                metric(o, "rocAuc", m.atTuned().auc());
                interval(o, "rocAucInterval", m.aucInterval());
                metric(o, "averagePrecision", m.atTuned().averagePrecision());
                ObjectNode threshold = o.putObject("threshold");
                threshold.put("value", m.threshold().threshold());
                metric(threshold, "validationF1", m.threshold().validationF1());
                m.threshold().fallbackReason().ifPresent(r -> threshold.put("fallbackReason", r));
                binary(o.putObject("atDefault"), m.atDefault().atThreshold());
                binary(o.putObject("atTuned"), m.atTuned().atThreshold());
                interval(o, "f1IntervalAtTuned", m.f1Interval());
                ArrayNode notes = o.putArray("notes");
                m.notes().forEach(notes::add);
            }
        }
        ObjectNode averages = root.putObject("averages");
        for (ModelAverages a : result.averages()) {
            ObjectNode o = averages.putObject(a.model());
            averaged(o.putObject("atDefault"), a.atDefault());
            averaged(o.putObject("atTuned"), a.atTuned());
        }
        ArrayNode notes = root.putArray("notes");
        result.notes().forEach(notes::add);
        return JSON.writeValueAsString(root);
    }

    private static void metric(ObjectNode node, String name, MetricValue value) {
        if (value.isDefined() && Double.isFinite(value.orElseThrow())) {
            node.put(name, value.orElseThrow());
        } else {
            node.putNull(name);
            node.put(name + "NA", value.isDefined() ? "not finite" : value.undefinedReason().get());
        }
    }

    private static void interval(ObjectNode node, String name, BootstrapInterval interval) {
        ObjectNode o = node.putObject(name);
        metric(o, "lower", interval.lower());
        metric(o, "upper", interval.upper());
        o.put("skippedResamples", interval.skippedResamples());
    }

    private static void binary(ObjectNode o, BinaryMetrics b) {
        o.put("threshold", b.threshold());
        metric(o, "precision", b.precision());
        metric(o, "recall", b.recall());
        metric(o, "f1", b.f1());
        metric(o, "accuracy", b.accuracy());
        metric(o, "specificity", b.specificity());
        o.put("support", b.support());
        o.put("tp", b.confusion().tp());
        o.put("fp", b.confusion().fp());
        o.put("tn", b.confusion().tn());
        o.put("fn", b.confusion().fn());
    }

    private static void averaged(ObjectNode o, AveragedMetrics a) {
        o.put("labels", a.labels());
        metric(o, "microPrecision", a.microPrecision());
        metric(o, "microRecall", a.microRecall());
        metric(o, "microF1", a.microF1());
        metric(o, "macroPrecision", a.macroPrecision());
        metric(o, "macroRecall", a.macroRecall());
        metric(o, "macroF1", a.macroF1());
        metric(o, "macroRocAuc", a.macroAuc());
        metric(o, "macroAveragePrecision", a.macroAveragePrecision());
        ArrayNode notes = o.putArray("notes");
        a.notes().forEach(notes::add);
    }

    /** Long format: one row per model, label, threshold kind and metric. */
    static String csv(EvaluationResult result) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader(CSV_COLUMNS.toArray(String[]::new)).setRecordSeparator("\n").build())) {
            String test = Split.TEST.code();
            for (LabelEvaluation le : result.perLabel()) {
                for (ModelEvaluation m : le.models()) {
                    String label = le.label();
                    row(csv, m.model(), label, test, "none", "", "roc_auc", m.atTuned().auc());
                    row(csv, m.model(), label, test, "none", "", "roc_auc_ci_lower", m.aucInterval().lower());
                    row(csv, m.model(), label, test, "none", "", "roc_auc_ci_upper", m.aucInterval().upper());
                    row(csv, m.model(), label, test, "none", "", "average_precision", m.atTuned().averagePrecision());
                    binaryRows(csv, m.model(), label, "default", m.atDefault().atThreshold());
                    binaryRows(csv, m.model(), label, "tuned_on_validation", m.atTuned().atThreshold());
                    String t = Double.toString(m.threshold().threshold());
                    row(csv, m.model(), label, test, "tuned_on_validation", t, "f1_ci_lower", m.f1Interval().lower());
                    row(csv, m.model(), label, test, "tuned_on_validation", t, "f1_ci_upper", m.f1Interval().upper());
                }
            }
            for (ModelAverages a : result.averages()) {
                averagedRows(csv, a.model(), "default", a.atDefault());
                averagedRows(csv, a.model(), "tuned_on_validation", a.atTuned());
            }
        }
        return out.toString();
    }

    private static void binaryRows(CSVPrinter csv, String model, String label, String kind, BinaryMetrics b)
            throws IOException {
        String t = Double.toString(b.threshold());
        String test = Split.TEST.code();
        row(csv, model, label, test, kind, t, "precision", b.precision());
        row(csv, model, label, test, kind, t, "recall", b.recall());
        row(csv, model, label, test, kind, t, "f1", b.f1());
        row(csv, model, label, test, kind, t, "accuracy", b.accuracy());
        row(csv, model, label, test, kind, t, "specificity", b.specificity());
        row(csv, model, label, test, kind, t, "support", MetricValue.of(b.support()));
        row(csv, model, label, test, kind, t, "tp", MetricValue.of(b.confusion().tp()));
        row(csv, model, label, test, kind, t, "fp", MetricValue.of(b.confusion().fp()));
        row(csv, model, label, test, kind, t, "tn", MetricValue.of(b.confusion().tn()));
        row(csv, model, label, test, kind, t, "fn", MetricValue.of(b.confusion().fn()));
    }

    private static void averagedRows(CSVPrinter csv, String model, String kind, AveragedMetrics a)
            throws IOException {
        String test = Split.TEST.code();
        row(csv, model, "(micro)", test, kind, "", "precision", a.microPrecision());
        row(csv, model, "(micro)", test, kind, "", "recall", a.microRecall());
        row(csv, model, "(micro)", test, kind, "", "f1", a.microF1());
        row(csv, model, "(macro)", test, kind, "", "precision", a.macroPrecision());
        row(csv, model, "(macro)", test, kind, "", "recall", a.macroRecall());
        row(csv, model, "(macro)", test, kind, "", "f1", a.macroF1());
        row(csv, model, "(macro)", test, kind, "", "roc_auc", a.macroAuc());
        row(csv, model, "(macro)", test, kind, "", "average_precision", a.macroAveragePrecision());
    }

    private static void row(CSVPrinter csv, String model, String label, String split, String kind, String threshold,
                            String metric, MetricValue value) throws IOException {
        boolean defined = value.isDefined() && Double.isFinite(value.orElseThrow());
        String number = !defined ? "" : value.orElseThrow() == Math.rint(value.orElseThrow())
                && isCount(metric) ? Long.toString((long) value.orElseThrow()) : Double.toString(value.orElseThrow());
        csv.printRecord(model, label, split, kind, threshold, metric, number,
                defined ? "" : value.undefinedReason().orElse("not finite"));
    }

    private static boolean isCount(String metric) {
        return switch (metric) {
            case "support", "tp", "fp", "tn", "fn" -> true;
            default -> false;
        };
    }
}
