package io.img2rec.eval;

import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.EvaluationOptions;

import io.img2rec.eval.report.ReportFiles;
import io.img2rec.eval.report.ReportWriter;
import io.img2rec.eval.run.FinishedRun;
import io.img2rec.eval.run.RunFolderException;
import io.img2rec.eval.run.RunReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mvn -pl pipeline-eval exec:java -Drun=<run dir>[,<run dir>...] [-Dout=<dir>] [-Dseed=<n>]}: re-evaluates
 * finished runs together (their models form one ensemble) and writes {@code report.html}, {@code metrics.json} and
 * {@code metrics.csv} into the first run folder or {@code out}. The run list may also be the first argument.
 */
public final class EvaluateMain {

    private EvaluateMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        try {
            ReportFiles files = run(args.length > 0 ? args[0] : System.getProperty("run"), System.getProperty("out"),
                    System.getProperty("seed"));
            System.out.println("report: " + files.html().toAbsolutePath());
            System.out.println("metrics: " + files.json().toAbsolutePath() + ", " + files.csv().toAbsolutePath());
        } catch (UsageException | RunFolderException e) {
            System.err.println("evaluate: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("evaluate: failed: " + e);
            System.exit(1);
        }
    }

    /** A bad command line; the message says what to pass. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The work of {@link #main} without exiting the JVM, for tests and other callers. */
    static ReportFiles run(String runList, String out, String seed)
            throws UsageException, RunFolderException, IOException {
        if (runList == null || runList.isBlank()) {
            throw new UsageException("no run folder given: pass -Drun=runs/<stamp>-<config>[,<another run>]");
        }
        List<FinishedRun> runs = new ArrayList<>();
        for (String part : runList.split(",")) {
            if (!part.isBlank()) {
                runs.add(RunReader.read(Path.of(part.strip())));
            }
        }
        long bootstrapSeed;
        if (seed != null && !seed.isBlank()) {
            try {
                bootstrapSeed = Long.parseLong(seed.strip());
            } catch (NumberFormatException e) {
                throw new UsageException("-Dseed=" + seed + " is not an integer");
            }
        } else {
            bootstrapSeed = runs.get(0).provenance().map(p -> p.seed()).orElse(0L);
        }
        EvaluationResult result = new Evaluator(EvaluationOptions.seeded(bootstrapSeed)).evaluate(runs);
        Path outDir = out == null || out.isBlank() ? runs.get(0).dir() : Path.of(out);
        return new ReportWriter().write(result, runs, outDir);
    }
}
