package io.img2rec.eval.api;

import io.img2rec.core.ensemble.EnsembleRule;
import io.img2rec.eval.Evaluator;
import io.img2rec.eval.report.ReportFiles;
import io.img2rec.eval.report.ReportWriter;
import io.img2rec.eval.run.FinishedRun;
import io.img2rec.eval.run.RunFolderException;
import io.img2rec.eval.run.RunReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates finished training runs from their run folders: per label, per model and for the ensemble that is served
 * ({@link EnsembleRule}: several runs together, e.g. a VGG16 run and a ResNet50 run, form one ensemble), on the
 * held-out test split, with thresholds tuned on the validation split. Evaluating reads files only; writing the
 * report is a separate, explicit step.
 *
 * <pre>{@code
 * Evaluation evaluation = Evaluation.builder().addRun(trainedRun.runFolder()).build();
 * EvaluationResult result = evaluation.evaluate();
 * double auc = result.label("hat").orElseThrow().models().get(0).atDefault().auc().orElseThrow();
 * Report report = evaluation.writeReport(result, trainedRun.runFolder());
 * }</pre>
 *
 * Immutable once built; {@link #evaluate()} may be called from any thread.
 */
public final class Evaluation {
    private final List<FinishedRun> runs;
    private final EvaluationOptions options;
    private final EnsembleRule rule;

    private Evaluation(List<FinishedRun> runs, EvaluationOptions options, EnsembleRule rule) {
        this.runs = List.copyOf(runs);
        this.options = options;
        this.rule = rule;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: at least one run is required; everything else is optional. Not thread-safe. */
    public static final class Builder {
        private final List<Path> runs = new ArrayList<>();
        private EvaluationOptions options;
        private Long seed;
        private Map<String, Double> weights = Map.of();

        private Builder() {
        }

        /** A run folder written by training ({@code TrainedRun.runFolder()} or {@code runs/<stamp>-<config>}). */
        public Builder addRun(Path runFolder) {
            runs.add(Objects.requireNonNull(runFolder, "runFolder"));
            return this;
        }

        public Builder addRuns(List<Path> runFolders) {
            runFolders.forEach(this::addRun);
            return this;
        }

        /** Threshold, bootstrap and report settings (default: {@link EvaluationOptions#seeded} with the seed below). */
        public Builder optOptions(EvaluationOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Seed of the bootstrap intervals (default: the first run's training seed, from its provenance). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Ensemble weights per architecture ({@code vgg16}, {@code resnet50}; absent ones weigh 1), the same as the
         * server's {@code --weight}/{@code RecommenderOptions.withArchitectureWeights}, so that what is evaluated is
         * what is served.
         */
        public Builder optEnsembleWeights(Map<String, Double> weights) {
            this.weights = Map.copyOf(weights);
            return this;
        }

        /**
         * Reads the run folders.
         *
         * @throws EvaluationException when a folder is not a finished run or one of its files cannot be read (the
         *                             message names the file and what to do)
         */
        public Evaluation build() throws EvaluationException {
            if (runs.isEmpty()) {
                throw new IllegalStateException("Evaluation.builder(): add at least one run folder with addRun(...)");
            }
            List<FinishedRun> finished = new ArrayList<>();
            for (Path run : runs) {
                try {
                    finished.add(RunReader.read(run));
                } catch (RunFolderException e) {
                    throw new EvaluationException(e.getMessage(), e);
                }
            }
            EvaluationOptions chosen = options != null ? options : EvaluationOptions.seeded(seed != null ? seed
                    : finished.get(0).provenance().map(p -> p.seed()).orElse(0L));
            return new Evaluation(finished, chosen, EnsembleRule.weighted(weights));
        }
    }

    /** The run folders evaluated, in the order given. */
    public List<Path> runs() {
        return runs.stream().map(FinishedRun::dir).toList();
    }

    public EvaluationOptions options() {
        return options;
    }

    /** Everything measured: per label, per model, the ensemble, averages over labels, split counts and notes. */
    public EvaluationResult evaluate() {
        return new Evaluator(options, rule).evaluate(runs);
    }

    /**
     * Writes the self-contained HTML report ({@code report.html}) with {@code metrics.json} and {@code metrics.csv}
     * into {@code folder} (created if needed; each file replaced atomically).
     */
    public Report writeReport(EvaluationResult result, Path folder) throws IOException {
        ReportFiles files = new ReportWriter().write(result, runs, folder);
        return new Report(files.html(), files.json(), files.csv());
    }

    /**
     * Where a report was written.
     *
     * @param html        the self-contained report
     * @param metricsJson every metric, machine-readable
     * @param metricsCsv  the same as one table
     */
    public record Report(Path html, Path metricsJson, Path metricsCsv) {
    }
}
