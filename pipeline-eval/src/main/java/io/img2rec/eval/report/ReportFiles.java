package io.img2rec.eval.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ReportWriter} wrote.
 *
 * @param html  the self-contained {@code report.html}
 * @param json  {@code metrics.json}
 * @param csv   {@code metrics.csv}
 * @param plots copies of the plots as PNG files under {@code plots/} (the HTML does not need them)
 */
public record ReportFiles(Path html, Path json, Path csv, List<Path> plots) {

    public ReportFiles {
        plots = List.copyOf(plots);
    }
}
