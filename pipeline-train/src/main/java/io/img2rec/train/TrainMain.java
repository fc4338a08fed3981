package io.img2rec.train;

import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.ConfigLocator;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.nativeio.OneDnnStatus;
import io.img2rec.core.run.RunLayout;
import io.img2rec.eval.api.Evaluation;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.LabelEvaluation;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.train.api.TrainedRun;
import io.img2rec.train.api.Training;
import io.img2rec.train.api.TrainingCancelledException;
import io.img2rec.train.api.TrainingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code mvn -pl pipeline-train exec:java -Dconfig=vgg16.yaml [-Dtrain.epochs=2 ...]} trains every model of the
 * config's architecture on its dataset, then evaluates them on the held-out test split and writes the report.
 * {@code -Dresume=runs/<run>} continues an interrupted run with that run's own config and split.
 */
public final class TrainMain {
    private static final Logger LOG = LoggerFactory.getLogger(TrainMain.class);

    private TrainMain() {
    }

    public static void main(String[] args) {
        NativeSetup.configure();
        int status;
        try {
            run(System.getProperties());
            status = 0;
        } catch (ConfigException | io.img2rec.core.manifest.ManifestException
                 | io.img2rec.core.checkpoint.CheckpointException | java.io.IOException e) {
            System.err.println("img2rec: " + e.getMessage());
            status = 2;
        } catch (TrainingException e) {
            if (e instanceof TrainingCancelledException || isUserError(e.getCause())) {
                System.err.println("img2rec: " + e.getMessage());
                status = 2;
            } else {
                LOG.error("training failed", e);
                System.err.println("img2rec: " + e.getMessage());
                status = 1;
            }
        } catch (Exception e) {
            LOG.error("training failed", e);
            System.err.println("img2rec: training failed: " + e);
            status = 1;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    private static boolean isUserError(Throwable cause) {
        return cause instanceof ConfigException || cause instanceof io.img2rec.core.manifest.ManifestException
                || cause instanceof io.img2rec.core.checkpoint.CheckpointException
                || cause instanceof java.io.IOException;
    }

    /** Trains (or resumes) through the public {@link Training} API, then evaluates and writes the report. */
    static TrainedRun run(Properties properties) throws Exception {
        Path projectRoot = ConfigLocator.projectRoot(Path.of(""));
        Map<String, String> overrides = ConfigLoader.overridesFrom(properties);
        String resume = properties.getProperty("resume");
        PipelineConfig config;
        RunLayout resumed = null;
        if (resume != null && !resume.isBlank()) {
            Path dir = Path.of(resume);
            resumed = RunLayout.open(dir.isAbsolute() ? dir : projectRoot.resolve(dir));
            if (!overrides.isEmpty()) {
                throw new ConfigException("-Dresume", List.of("a resumed run keeps its own config (" + resumed.config()
                        + "); remove the overrides " + overrides.keySet()));
            }
            config = ConfigLoader.load(resumed.config(), Map.of());
        } else {
            config = ConfigLoader.load(ConfigLocator.resolve(properties.getProperty("config"), projectRoot), overrides);
        }
        LOG.info("{}", OneDnnStatus.current().summary());
        LOG.info("{}", NativeSetup.openBlasHint());
        LOG.info("{}", NativeSetup.openMpHint());
        Training training = Training.builder().setConfig(config).optProjectRoot(projectRoot)
                .optWeights(WeightsLocations.fromSystemProperties()).optConsoleProgress(true).build();
        TrainedRun result = resumed == null ? training.train() : training.resume(resumed.root());
        evaluate(result, config);
        return result;
    }

    private static String brief(io.img2rec.core.metrics.MetricValue value) {
        return value.isDefined() ? String.format(Locale.ROOT, "%.3f", value.orElseThrow()) : "N/A";
    }

    /** Test-split metrics and the HTML report, through pipeline-eval. */
    private static void evaluate(TrainedRun result, PipelineConfig config) throws Exception {
        Evaluation evaluator = Evaluation.builder().addRun(result.runFolder()).optSeed(config.seed()).build();
        EvaluationResult evaluation = evaluator.evaluate();
        Evaluation.Report files = evaluator.writeReport(evaluation, result.runFolder());
        StringBuilder table = new StringBuilder("test split (held out), per label:\n");
        table.append(String.format(Locale.ROOT, "  %-10s %-10s %8s %8s %10s%n", "label", "model", "AUC", "F1@0.5",
                "F1@tuned"));
        for (LabelEvaluation label : evaluation.perLabel()) {
            for (ModelEvaluation model : label.models()) {
                table.append(String.format(Locale.ROOT, "  %-10s %-10s %8s %8s %10s%n", label.label(), model.model(),
                        brief(model.atDefault().auc()), brief(model.atDefault().atThreshold().f1()),
                        brief(model.atTuned().atThreshold().f1())));
            }
        }
        LOG.info("{}report: {}", table, files.html());
        if (result.randomWeights()) {
            LOG.warn("these models started from RANDOM weights ({}); the report says so too",
                    result.weights().description());
        }
    }
}
