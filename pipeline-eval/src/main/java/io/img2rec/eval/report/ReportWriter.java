package io.img2rec.eval.report;

import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.run.RunLayout;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.run.FinishedRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an evaluation as {@code report.html} (one self-contained file: plots and thumbnails embedded as data URIs,
 * no scripts, no external resources), {@code metrics.json} and {@code metrics.csv} beside it, and the plots again as
 * PNG files under {@code plots/}. Every file is written atomically.
 */
public final class ReportWriter {

    public static final String HTML = RunLayout.REPORT_HTML;
    public static final String JSON = RunLayout.METRICS_JSON;
    public static final String CSV = RunLayout.METRICS_CSV;
    public static final String PLOTS = RunLayout.REPORT_PLOTS;

    private final Clock clock;

    public ReportWriter() {
        this(Clock.systemUTC());
    }

    /** With a clock, so that tests can fix the report's time stamp. */
    public ReportWriter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param result what was measured
     * @param runs   the run folders it came from (for the summary, training curves, checkpoints and thumbnails)
     * @param outDir where to write; created if needed
     */
    public ReportFiles write(EvaluationResult result, List<FinishedRun> runs, Path outDir) throws IOException {
        Objects.requireNonNull(result, "result");
        Files.createDirectories(outDir);
        String generatedAt = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        HtmlReport report = new HtmlReport(result, runs, generatedAt);
        String html = report.render();
        Path htmlFile = outDir.resolve(HTML);
        Path jsonFile = outDir.resolve(JSON);
        Path csvFile = outDir.resolve(CSV);
        AtomicFiles.writeString(jsonFile, MetricsExport.json(result, runs, generatedAt));
        AtomicFiles.writeString(csvFile, MetricsExport.csv(result));
        List<Path> plots = new ArrayList<>();
        for (Map.Entry<String, byte[]> plot : report.plots().entrySet()) {
            Path file = outDir.resolve(PLOTS).resolve(plot.getKey());
            AtomicFiles.write(file, out -> out.write(plot.getValue()));
            plots.add(file);
        }
        AtomicFiles.writeString(htmlFile, html);
        return new ReportFiles(htmlFile, jsonFile, csvFile, plots);
    }
}
