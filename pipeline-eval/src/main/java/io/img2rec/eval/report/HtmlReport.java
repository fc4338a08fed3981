package io.img2rec.eval.report;

import io.img2rec.core.manifest.Split;
import io.img2rec.core.metrics.AveragedMetrics;
import io.img2rec.core.metrics.BinaryMetrics;
import io.img2rec.core.metrics.ConfusionMatrix;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.EpochRecord;
import io.img2rec.core.run.Prediction;
import io.img2rec.eval.api.ClassBalance;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.HardExample;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.api.ModelAverages;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.eval.run.CheckpointStatus;
import io.img2rec.eval.run.FinishedRun;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds the HTML text of the report; keeps the plots it embedded so that they can also be written as files. */
final class HtmlReport {

    static final int THUMBNAIL_PX = 96;
    private static final List<String> STAGES = List.of("cache", "top", "fine_tune", "total");

    private final EvaluationResult result;
    private final List<FinishedRun> runs;
    private final String generatedAt;
    private final Map<String, byte[]> plots = new LinkedHashMap<>();
    private final StringBuilder html = new StringBuilder(1 << 16);

    HtmlReport(EvaluationResult result, List<FinishedRun> runs, String generatedAt) {
        this.result = result;
        this.runs = List.copyOf(runs);
        this.generatedAt = generatedAt;
    }

    Map<String, byte[]> plots() {
        return plots;
    }

    String render() {
        html.setLength(0);
        String title = "img2rec evaluation: " + runs.stream().map(FinishedRun::configName).distinct()
                .collect(Collectors.joining(" + "));
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Format.html(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(Format.html(title)).append("</h1>\n");
        html.append("<p class=\"meta\">Generated ").append(Format.html(generatedAt)).append(". All metrics are on the <b>")
                .append("test</b> split (").append(result.counts().images(Split.TEST))
                .append(" images); each label's tuned threshold is the max-F1 threshold chosen on the <b>validation</b>"
                        + " split and then applied to test. Machine-readable: <a href=\"" + ReportWriter.JSON + "\">"
                        + ReportWriter.JSON + "</a>, <a href=\"" + ReportWriter.CSV + "\">" + ReportWriter.CSV
                        + "</a>.</p>\n");
        warnings();
        nav();
        summary();
        data();
        labels();
        averages();
        classificationReport();
        training();
        hardest();
        checkpoints();
        method();
        html.append("<footer>Metrics files: <a href=\"").append(ReportWriter.JSON).append("\">")
                .append(ReportWriter.JSON).append("</a> · <a href=\"").append(ReportWriter.CSV).append("\">")
                .append(ReportWriter.CSV).append("</a></footer>\n</body>\n</html>\n");
        return html.toString();
    }

    private void warnings() {
        for (FinishedRun run : runs) {
            Optional<RunProvenance> p = run.provenance();
            if (p.isPresent() && p.get().randomWeights()) {
                html.append("<div class=\"warning\" id=\"random-weights-warning\"><strong>Warning: random weights."
                                + "</strong> Run <code>").append(Format.html(run.name()))
                        .append("</code> started from <code>").append(Format.html(p.get().weightsSource()))
                        .append("</code>, not from ImageNet weights. Its numbers do not measure transfer learning and"
                                + " must not be compared with an ImageNet-initialised run.</div>\n");
            } else if (p.isEmpty()) {
                html.append("<div class=\"caution\">Run <code>").append(Format.html(run.name()))
                        .append("</code> has no provenance.json: the weights it started from are unknown.</div>\n");
            }
        }
    }

    private void nav() {
        html.append("<nav><a href=\"#summary\">Run summary</a> · <a href=\"#data\">Data</a> · "
                + "<a href=\"#labels\">Per label</a> · <a href=\"#averages\">Averages</a> · "
                + "<a href=\"#classification-report\">Classification report</a> · "
                + "<a href=\"#training\">Training curves</a> · <a href=\"#hardest\">Hardest test images</a> · "
                + "<a href=\"#checkpoints\">Checkpoints</a> · <a href=\"#method\">Method</a></nav>\n");
    }

    private void summary() {
        html.append("<section id=\"summary\">\n<h2>Run summary</h2>\n");
        for (FinishedRun run : runs) {
            Table t = HtmlTables.create("run " + run.name(), "field", "value");
            Optional<RunProvenance> p = run.provenance();
            String unknown = "N/A (provenance.json not found)";
            HtmlTables.addRow(t, List.of("run folder", run.dir().toString()));
            HtmlTables.addRow(t, List.of("config name", run.configName()));
            HtmlTables.addRow(t, List.of("labels", String.join(", ", run.labels())));
            HtmlTables.addRow(t, List.of("models", String.join(", ", run.models())));
            HtmlTables.addRow(t, List.of("dataset root", run.datasetRoot().map(Path::toString)
                    .orElse("N/A (not in run-summary.json or config.yaml)")));
            HtmlTables.addRow(t, List.of("manifest hash", p.map(x -> orNa(x.manifestHash())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("config hash", p.map(x -> orNa(x.configHash())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("seed", p.map(x -> Long.toString(x.seed())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("weights source", p.map(x -> orNa(x.weightsSource())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("backend", p.map(x -> orNa(x.backend())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("git commit", p.map(x -> orNa(x.gitCommit())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("created at", p.map(x -> orNa(x.createdAt())).orElse(unknown)));
            HtmlTables.addRow(t, List.of("versions", p.map(x -> x.versions().isEmpty() ? "N/A (not recorded)"
                    : new java.util.TreeMap<>(x.versions()).toString()).orElse(unknown)));
            for (String stage : STAGES) {
                Double seconds = run.summary().durationsSeconds().get(stage);
                HtmlTables.addRow(t, List.of("duration: " + stage, seconds == null
                        ? "N/A (not in run-summary.json)" : Format.seconds(seconds)));
            }
            for (String stage : STAGES.subList(0, 3)) {
                Double rate = run.summary().imagesPerSecond().get(stage);
                HtmlTables.addRow(t, List.of("images/s: " + stage, rate == null
                        ? "N/A (not in run-summary.json)" : String.format(Locale.ROOT, "%.1f", rate)));
            }
            html.append("<h3>").append(Format.html(run.name())).append("</h3>\n")
                    .append(HtmlTables.render(t, "kv"));
            notes(run.notes());
        }
        notes(result.notes());
        html.append("</section>\n");
    }

    private void data() {
        html.append("<section id=\"data\">\n<h2>Data: counts per split and class balance</h2>\n");
        List<String> columns = new ArrayList<>(List.of("split", "images"));
        for (String label : result.labels()) {
            columns.add(label + " positives");
            columns.add(label + " negatives");
            columns.add(label + " positive share");
        }
        Table t = HtmlTables.create("counts", columns.toArray(String[]::new));
        for (Split s : Prediction.SPLITS) {
            List<String> row = new ArrayList<>(List.of(s.code(), Integer.toString(result.counts().images(s))));
            for (String label : result.labels()) {
                ClassBalance b = result.counts().balance(label, s);
                row.add(Integer.toString(b.positives()));
                row.add(Integer.toString(b.negatives()));
                row.add(Format.percent(b.positives(), b.total()));
            }
            HtmlTables.addRow(t, row);
        }
        html.append("<p>Distinct images in the predictions (the trainer only guarantees validation and test rows; "
                + "a train count of 0 means none were written).</p>\n");
        html.append(HtmlTables.render(t, "metrics"));
        for (FinishedRun run : runs) {
            if (!run.summary().counts().isEmpty()) {
                html.append("<p>run-summary.json of <code>").append(Format.html(run.name())).append("</code>: ")
                        .append(Format.html(run.summary().counts().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))))
                        .append("</p>\n");
            }
        }
        figure("class-balance.png", Charts.classBalance(result.labels(), result.counts()),
                "Share of positive images per label and split", "no split has images");
        html.append("</section>\n");
    }

    private void labels() {
        html.append("<section id=\"labels\">\n<h2>Per label (test split)</h2>\n");
        for (LabelEvaluation le : result.perLabel()) {
            String label = le.label();
            html.append("<h3 id=\"label-").append(Format.html(slug(label))).append("\">").append(Format.html(label))
                    .append("</h3>\n");
            if (le.models().isEmpty()) {
                html.append("<p class=\"na\">N/A (no model scored '").append(Format.html(label))
                        .append("')</p>\n");
                continue;
            }
            Table ranking = HtmlTables.create(label + " ranking", "model", "test positives", "test negatives",
                    "excluded (score not a number)", "ROC AUC", "ROC AUC 95% CI", "average precision",
                    "tuned threshold", "validation F1 at tuned", "F1 at tuned", "F1 95% CI");
            for (ModelEvaluation m : le.models()) {
                HtmlTables.addRow(ranking, List.of(m.model(), Integer.toString(m.atTuned().positives()),
                        Integer.toString(m.atTuned().negatives()), Integer.toString(m.atTuned().excludedNaN()),
                        Format.number(m.atTuned().auc()), Format.interval(m.aucInterval()),
                        Format.number(m.atTuned().averagePrecision()),
                        Format.number(m.threshold().threshold())
                                + (m.threshold().usedFallback() ? " (fallback)" : ""),
                        Format.number(m.threshold().validationF1()), Format.number(m.atTuned().atThreshold().f1()),
                        Format.interval(m.f1Interval())));
            }
            html.append(HtmlTables.render(ranking, "metrics"));
            Table thresholded = HtmlTables.create(label + " thresholded", "model", "threshold", "precision",
                    "recall", "F1", "accuracy", "specificity", "TP", "FP", "TN", "FN", "support");
            for (ModelEvaluation m : le.models()) {
                thresholdRow(thresholded, m.model() + " @ default", m.atDefault().atThreshold());
                thresholdRow(thresholded, m.model() + " @ tuned", m.atTuned().atThreshold());
            }
            html.append(HtmlTables.render(thresholded, "metrics"));
            List<String> notes = new ArrayList<>();
            le.models().forEach(m -> m.notes().forEach(n -> notes.add(m.model() + ": " + n)));
            notes(notes);
            String s = slug(label);
            html.append("<div class=\"grid\">\n");
            figure("roc-" + s + ".png", Charts.roc(le), "ROC curves for " + label,
                    "every model's test split lacks a class for '" + label + "'");
            figure("pr-" + s + ".png", Charts.pr(le), "Precision-recall curves for " + label,
                    "no positive test examples for '" + label + "'");
            figure("f1-threshold-" + s + ".png", Charts.f1AgainstThreshold(le), "F1 against threshold for " + label,
                    "F1 is undefined at every threshold (no positives and no predicted positives)");
            html.append("</div>\n<h4>Confusion matrices at the tuned threshold (test)</h4>\n<div class=\"grid\">\n");
            for (ModelEvaluation m : le.models()) {
                confusion(m.model(), m.atTuned().atThreshold());
            }
            html.append("</div>\n");
        }
        html.append("</section>\n");
    }

    private static void thresholdRow(Table t, String name, BinaryMetrics b) {
        ConfusionMatrix c = b.confusion();
        HtmlTables.addRow(t, List.of(name, Format.number(b.threshold()), Format.number(b.precision()),
                Format.number(b.recall()), Format.number(b.f1()), Format.number(b.accuracy()),
                Format.number(b.specificity()), Long.toString(c.tp()), Long.toString(c.fp()), Long.toString(c.tn()),
                Long.toString(c.fn()), Long.toString(b.support())));
    }

    private void confusion(String model, BinaryMetrics b) {
        ConfusionMatrix c = b.confusion();
        long max = Math.max(1, Math.max(Math.max(c.tp(), c.fp()), Math.max(c.tn(), c.fn())));
        html.append("<table class=\"confusion\"><caption>").append(Format.html(model)).append(" (t = ")
                .append(Format.number(b.threshold())).append(")</caption>\n")
                .append("<tr><th></th><th>predicted 0</th><th>predicted 1</th></tr>\n")
                .append("<tr><th>actual 0</th>").append(cell("TN", c.tn(), max)).append(cell("FP", c.fp(), max))
                .append("</tr>\n<tr><th>actual 1</th>").append(cell("FN", c.fn(), max)).append(cell("TP", c.tp(), max))
                .append("</tr>\n</table>\n");
    }

    private static String cell(String name, long count, long max) {
        int shade = (int) Math.round(235 - 150.0 * count / max);
        String colour = String.format(Locale.ROOT, "rgb(%d,%d,255)", shade, shade);
        return "<td style=\"background:" + colour + "\">" + name + " " + count + "</td>";
    }

    private void averages() {
        html.append("<section id=\"averages\">\n<h2>Averages over labels (test)</h2>\n");
        Table t = HtmlTables.create("averages", "model", "threshold", "labels", "micro precision", "micro recall",
                "micro F1", "macro precision", "macro recall", "macro F1", "macro ROC AUC", "macro AP");
        List<String> notes = new ArrayList<>();
        for (ModelAverages a : result.averages()) {
            averageRow(t, a.model(), "default " + Format.number(result.options().defaultThreshold()), a.atDefault());
            averageRow(t, a.model(), "tuned per label", a.atTuned());
            a.atTuned().notes().forEach(n -> notes.add(a.model() + ": " + n));
        }
        html.append(HtmlTables.render(t, "metrics"));
        notes(notes.stream().distinct().toList());
        html.append("</section>\n");
    }

    private static void averageRow(Table t, String model, String threshold, AveragedMetrics a) {
        HtmlTables.addRow(t, List.of(model, threshold, Integer.toString(a.labels()),
                Format.number(a.microPrecision()), Format.number(a.microRecall()), Format.number(a.microF1()),
                Format.number(a.macroPrecision()), Format.number(a.macroRecall()), Format.number(a.macroF1()),
                Format.number(a.macroAuc()), Format.number(a.macroAveragePrecision())));
    }

    private void classificationReport() {
        html.append("<section id=\"classification-report\">\n<h2>Classification report (")
                .append(Format.html(result.options().ensembleName()))
                .append(", test, tuned thresholds)</h2>\n");
        Table t = HtmlTables.create("classification report", "label", "threshold", "precision", "recall",
                "f1-score", "support");
        for (LabelEvaluation le : result.perLabel()) {
            Optional<ModelEvaluation> e = le.ensemble();
            if (e.isEmpty()) {
                HtmlTables.addRow(t, List.of(le.label(), "N/A (no predictions)", "N/A (no predictions)",
                        "N/A (no predictions)", "N/A (no predictions)", "0"));
                continue;
            }
            BinaryMetrics b = e.get().atTuned().atThreshold();
            HtmlTables.addRow(t, List.of(le.label(), Format.number(b.threshold()), Format.number(b.precision()),
                    Format.number(b.recall()), Format.number(b.f1()), Long.toString(b.support())));
        }
        result.averages().stream().filter(a -> a.model().equals(result.options().ensembleName())).findFirst()
                .ifPresent(a -> {
                    AveragedMetrics m = a.atTuned();
                    String support = Long.toString(m.microConfusion().support());
                    HtmlTables.addRow(t, List.of("micro avg", "per label", Format.number(m.microPrecision()),
                            Format.number(m.microRecall()), Format.number(m.microF1()), support));
                    HtmlTables.addRow(t, List.of("macro avg", "per label", Format.number(m.macroPrecision()),
                            Format.number(m.macroRecall()), Format.number(m.macroF1()), support));
                });
        html.append(HtmlTables.render(t, "metrics"));
        html.append("</section>\n");
    }

    private void training() {
        html.append("<section id=\"training\">\n<h2>Training curves</h2>\n");
        boolean any = false;
        for (FinishedRun run : runs) {
            Map<String, List<EpochRecord>> byModelLabel = run.epochs().stream().collect(Collectors.groupingBy(
                    e -> e.model() + " / " + e.label(), LinkedHashMap::new, Collectors.toList()));
            for (var e : byModelLabel.entrySet()) {
                any = true;
                String name = run.name() + ": " + e.getKey();
                String s = slug(run.name() + "-" + e.getKey());
                html.append("<h3>").append(Format.html(name)).append("</h3>\n<div class=\"grid\">\n");
                figure("loss-" + s + ".png", Charts.trainingLoss("Loss: " + e.getKey(), e.getValue()),
                        "Loss per epoch, " + name, "no loss values recorded");
                figure("auc-" + s + ".png", Charts.trainingAuc("Validation AUC and accuracy: " + e.getKey(),
                        e.getValue()), "Validation AUC per epoch, " + name, "no validation metrics recorded");
                html.append("</div>\n");
            }
        }
        if (!any) {
            html.append("<p class=\"na\">N/A (no metrics-epochs.csv rows in any run)</p>\n");
        }
        html.append("</section>\n");
    }

    private void hardest() {
        html.append("<section id=\"hardest\">\n<h2>Hardest test images (")
                .append(Format.html(result.options().ensembleName())).append(")</h2>\n");
        Optional<Path> root = runs.stream().map(FinishedRun::datasetRoot).flatMap(Optional::stream).findFirst();
        for (LabelEvaluation le : result.perLabel()) {
            String threshold = le.ensemble().map(e -> Format.number(e.threshold().threshold())).orElse("N/A");
            html.append("<h3>").append(Format.html(le.label())).append(" (threshold ").append(threshold)
                    .append(")</h3>\n");
            thumbnails("Top false positives (no " + le.label() + ", highest scores)", le.falsePositives(), root,
                    "no false positives at the tuned threshold");
            thumbnails("Top false negatives (" + le.label() + ", lowest scores)", le.falseNegatives(), root,
                    "no false negatives at the tuned threshold");
        }
        html.append("</section>\n");
    }

    private void thumbnails(String heading, List<HardExample> examples, Optional<Path> root, String none) {
        html.append("<h4>").append(Format.html(heading)).append("</h4>\n");
        if (examples.isEmpty()) {
            html.append("<p class=\"na\">").append(Format.html(none)).append("</p>\n");
            return;
        }
        html.append("<div class=\"thumbs\">\n");
        List<String> missing = new ArrayList<>();
        for (HardExample h : examples) {
            Thumbnails.Thumbnail t = Thumbnails.of(root, h.path(), THUMBNAIL_PX);
            if (t.png().isEmpty()) {
                missing.add(h.path() + " (score " + Format.number(h.score()) + "): " + t.missingReason());
                continue;
            }
            html.append("<figure class=\"thumb\"><img alt=\"").append(Format.html(h.path())).append("\" src=\"")
                    .append(dataUri(t.png().get())).append("\"><figcaption>score ")
                    .append(Format.number(h.score())).append("<br><span class=\"path\">")
                    .append(Format.html(h.path())).append("</span></figcaption></figure>\n");
        }
        html.append("</div>\n");
        if (!missing.isEmpty()) {
            html.append("<p class=\"note\">Omitted (image not available):</p>\n");
            notes(missing);
        }
    }

    private void checkpoints() {
        html.append("<section id=\"checkpoints\">\n<h2>Checkpoints</h2>\n");
        Table t = HtmlTables.create("checkpoints", "run", "model", "label", "best checkpoint", "status");
        for (FinishedRun run : runs) {
            for (CheckpointStatus c : run.checkpoints()) {
                HtmlTables.addRow(t, List.of(run.name(), c.model(), c.label(), c.zip().getFileName().toString(),
                        c.missingReason().map(r -> "N/A (" + r + ")").orElse("present, with sidecar")));
            }
        }
        html.append(HtmlTables.render(t, "metrics"));
        html.append("</section>\n");
    }

    private void method() {
        var b = result.options().bootstrap();
        html.append("<section id=\"method\">\n<h2>Method</h2>\n<ul>\n")
                .append("<li>Scores are probabilities; an image is predicted positive when score ≥ threshold.</li>\n")
                .append("<li>ROC AUC is the Mann–Whitney statistic (ties count one half); average precision is "
                        + "Σ (R<sub>n</sub> − R<sub>n−1</sub>) P<sub>n</sub> over distinct scores, as scikit-learn.</li>\n")
                .append("<li>The tuned threshold maximises F1 on the validation split (ties: the largest "
                        + "threshold); when validation has no positives the default threshold is used.</li>\n")
                .append("<li>The ensemble is the plain average of the models' scores for the same image path; an "
                        + "image some model did not score is excluded from the ensemble.</li>\n")
                .append("<li>95% intervals: percentile bootstrap, ").append(b.resamples())
                .append(" resamples, seed ").append(b.seed())
                .append("; resamples holding one class are skipped.</li>\n")
                .append("<li>Macro averages: mean over labels (undefined precision/recall/F1 count as 0, undefined "
                        + "AUC/AP are skipped); micro: metrics of the summed confusion matrices.</li>\n")
                .append("<li>Scores that are not numbers (failed images) are excluded and counted.</li>\n")
                .append("</ul>\n</section>\n");
    }

    private void figure(String fileName, Optional<byte[]> png, String caption, String naReason) {
        html.append("<figure class=\"plot\">");
        if (png.isPresent()) {
            plots.put(fileName, png.get());
            html.append("<img alt=\"").append(Format.html(caption)).append("\" src=\"").append(dataUri(png.get()))
                    .append("\">");
        } else {
            html.append("<p class=\"na\">N/A (").append(Format.html(naReason)).append(")</p>");
        }
        html.append("<figcaption>").append(Format.html(caption)).append("</figcaption></figure>\n");
    }

    private void notes(List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        html.append("<ul class=\"notes\">\n");
        notes.forEach(n -> html.append("<li>").append(Format.html(n)).append("</li>\n"));
        html.append("</ul>\n");
    }

    private static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    private static String orNa(String value) {
        return value == null || value.isBlank() ? "N/A (not recorded in provenance.json)" : value;
    }

    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }


    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em auto;
                   max-width: 1250px; color: #222; line-height: 1.4; padding: 0 1em; }
            h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2em; margin-top: 1.8em; }
            nav { background: #f4f6f8; padding: .5em .8em; border-radius: 6px; }
            .meta { color: #555; }
            .warning { background: #fde8e8; border: 3px solid #c81e1e; color: #8a0f0f; padding: 1em;
                       border-radius: 6px; font-size: 1.1em; margin: 1em 0; }
            .caution { background: #fff7e0; border: 2px solid #d9a400; padding: .8em; border-radius: 6px; margin: 1em 0; }
            table { border-collapse: collapse; margin: .6em 0 1em; font-size: .9em; }
            th, td { border: 1px solid #d0d5da; padding: .25em .55em; text-align: left; vertical-align: top; }
            th { background: #eef1f4; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.na, p.na { color: #8a5a00; font-style: italic; }
            table.kv td:first-child { font-weight: 600; white-space: nowrap; }
            table.confusion { display: inline-table; margin-right: 1.2em; }
            table.confusion td { text-align: center; min-width: 5.5em; }
            .grid { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
            figure { margin: 0; } figure.plot img { max-width: 100%; border: 1px solid #e3e3e3; }
            figcaption { font-size: .85em; color: #555; }
            .thumbs { display: flex; flex-wrap: wrap; gap: .6em; }
            figure.thumb { width: 110px; text-align: center; }
            figure.thumb img { border: 1px solid #bbb; }
            .path { font-size: .75em; word-break: break-all; color: #777; }
            ul.notes { font-size: .88em; color: #444; }
            footer { margin-top: 2em; border-top: 1px solid #ddd; padding-top: .5em; color: #555; }
            """;
}
