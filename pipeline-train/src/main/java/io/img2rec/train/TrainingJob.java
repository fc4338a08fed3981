package io.img2rec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.config.TopModelConfig;
import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TopSpec;
import io.img2rec.core.provenance.Environment;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.weights.WeightsSource;
import io.img2rec.train.api.Stage;
import io.img2rec.train.run.EpochLog;
import io.img2rec.train.run.RunFolder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Internal (the public entry is {@link io.img2rec.train.api.Training}). One training run: manifest → split → both
 * phases for every model of the configured architecture → predictions on every split, all in one run folder.
 * Resumable: {@link #resume(RunFolder)} continues an interrupted run from its last checkpoints with the run's own
 * split.
 */
public final class TrainingJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PipelineConfig config;
    private final Path projectRoot;
    private final WeightsStep weights;
    private final TrainingHooks hooks;

    /**
     * @param projectRoot relative dataset and runs paths of the config resolve against it; its git commit goes
     *                    into provenance
     */
    public TrainingJob(PipelineConfig config, Path projectRoot, WeightsStep weights, TrainingHooks hooks) {
        this.config = Objects.requireNonNull(config, "config");
        this.projectRoot = Objects.requireNonNull(projectRoot, "projectRoot");
        this.weights = Objects.requireNonNull(weights, "weights");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * What a finished run produced.
     *
     * @param weights   where the base's starting weights came from
     * @param durations every stage's time, {@link Stage#DATASET} included
     * @param total     the whole run's time
     * @param config    the config the run trained with
     */
    public record Result(RunFolder run, ArchitectureTraining.Outcome outcome, Manifest manifest,
                         RunProvenance provenance, WeightsSource weights, Map<Stage, Duration> durations,
                         Duration total, PipelineConfig config) {
    }

    public Path datasetRoot() {
        Path root = config.data().root();
        return root.isAbsolute() ? root : projectRoot.resolve(root).normalize();
    }

    /** The untrained network a run starts from (before its weights are loaded): base + top, seeded. */
    public static ComputationGraph network(PipelineConfig config) {
        ModelConfig model = config.model();
        int outputs = model.heads() == ModelConfig.Heads.MULTILABEL ? config.labels().size() : 1;
        var options = new ArchitectureOptions(model.inputSize(),
                model.dataFormat().cnn2dFormat(), config.seed());
        var top = TopSpec.sigmoid(model.top().pooling() == TopModelConfig.Pooling.FLATTEN
                        ? TopSpec.Pooling.FLATTEN : TopSpec.Pooling.GLOBAL_AVERAGE, model.top().denseUnits(),
                model.dl4jRetainProbabilityOfTop(), outputs);
        return new ComputationGraph(model.architecture().architecture().configuration(options, top));
    }

    public Result runNew() throws Exception {
        Path runsDir = config.runsDir().isAbsolute() ? config.runsDir() : projectRoot.resolve(config.runsDir());
        RunFolder run = RunFolder.create(runsDir, config.name(), LocalDateTime.now());
        LOG.info("run folder: {}", run.root());
        long start = System.nanoTime();
        AtomicFiles.writeString(run.config(), ConfigWriter.toYaml(config));
        hooks.listener().stageStarted(Stage.DATASET, config.name());
        Manifest manifest = DatasetPreparation.scanAndSplit(config, datasetRoot(), run, hooks.showProgress());
        Duration dataset = Duration.ofNanos(System.nanoTime() - start);
        hooks.listener().stageFinished(Stage.DATASET, config.name(), dataset);
        return train(run, manifest, dataset);
    }

    /** Continues {@code run} from its checkpoints, with its own manifest and split (the config should be its own). */
    public Result resume(RunFolder run) throws Exception {
        LOG.info("resuming run {}", run.root());
        long start = System.nanoTime();
        hooks.listener().stageStarted(Stage.DATASET, config.name());
        Manifest manifest = DatasetPreparation.readBack(run, config.labels());
        Duration dataset = Duration.ofNanos(System.nanoTime() - start);
        hooks.listener().stageFinished(Stage.DATASET, config.name(), dataset);
        return train(run, manifest, dataset);
    }

    private Result train(RunFolder run, Manifest manifest, Duration dataset) throws Exception {
        try {
            return trainOrCancel(run, manifest, dataset);
        } catch (RunCancelled e) {
            LOG.info("training cancelled; resume with the run folder {}", run.root());
            throw new RunCancelled(run.root());
        }
    }

    private Result trainOrCancel(RunFolder run, Manifest manifest, Duration dataset) throws Exception {
        long start = System.nanoTime();
        ModelConfig model = config.model();
        int outputs = model.heads() == ModelConfig.Heads.MULTILABEL ? config.labels().size() : 1;
        ComputationGraph full = network(config);
        try {
            full.init();
            WeightsSource weightsSource = weights.load(full, model);
            if (!weightsSource.pretrained()) {
                LOG.warn("\n*** The base network starts from RANDOM weights, not ImageNet: {}.\n*** Scores from this run say "
                        + "nothing about the real recipe; see README 'ImageNet weights'.", weightsSource.description());
            }
            var provenance = new RunProvenance(ConfigWriter.hash(config), manifest.contentHash(), config.seed(),
                    Environment.gitCommit(projectRoot), BaseWeights.sentence(weightsSource), Environment.versions(),
                    Environment.backend(), Instant.now().toString(), weightsSource);
            AtomicFiles.writeString(run.provenance(), JSON.writeValueAsString(provenance));

            List<ModelSpec> specs = new ArrayList<>();
            if (outputs == 1) {
                config.labels().forEach(label -> specs.add(ModelSpec.perLabel(config.labels(), label)));
            } else {
                specs.add(ModelSpec.multilabel(config.labels()));
            }
            var context = new RunContext(config, run, provenance, EpochLog.open(run.epochMetrics()), hooks);
            ArchitectureTraining.Outcome outcome = new ArchitectureTraining(context, manifest, datasetRoot())
                    .run(full, specs);
            writePredictions(run, manifest, outcome);
            writeSummary(run, manifest, outcome, (System.nanoTime() - start) / 1e9);
            Map<Stage, Duration> durations = new EnumMap<>(Stage.class);
            durations.put(Stage.DATASET, dataset);
            durations.putAll(outcome.durations());
            return new Result(run, outcome, manifest, provenance, weightsSource, durations,
                    dataset.plus(Duration.ofNanos(System.nanoTime() - start)), config);
        } finally {
            full.close();
        }
    }

    /** {@code predictions.csv}: path, split, model, label, truth, score for every image the best models scored. */
    private void writePredictions(RunFolder run, Manifest manifest, ArchitectureTraining.Outcome outcome)
            throws IOException {
        String arch = config.model().architecture().configName();
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.RFC4180)) {
            csv.printRecord("path", "split", "model", "label", "truth", "score");
            List<ManifestEntry> entries = manifest.entries();
            for (ArchitectureTraining.ModelOutcome model : outcome.models()) {
                if (model.bestScores() == null) {
                    continue;
                }
                for (int i = 0; i < entries.size(); i++) {
                    for (int o = 0; o < model.spec().outputs(); o++) {
                        String label = model.spec().labels().get(o);
                        double[] scores = model.bestScores()[i];
                        csv.printRecord(entries.get(i).path(), entries.get(i).split().code(), arch, label,
                                entries.get(i).hasLabel(label) ? 1 : 0,
                                scores == null ? "NaN" : String.format(Locale.ROOT, "%.8f", scores[o]));
                    }
                }
            }
        }
        AtomicFiles.writeString(run.predictions(), text.toString());
    }

    private void writeSummary(RunFolder run, Manifest manifest, ArchitectureTraining.Outcome outcome, double total)
            throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("datasetRoot", datasetRoot().toString());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var split : io.img2rec.core.manifest.Split.values()) {
            int n = manifest.entries(split).size();
            if (n > 0) {
                counts.put(split.code(), n);
            }
        }
        summary.put("counts", counts);
        Map<String, Double> durations = new LinkedHashMap<>(outcome.seconds());
        durations.put("total", total);
        summary.put("durationsSeconds", durations);
        summary.put("imagesPerSecond", outcome.imagesPerSecond());
        summary.put("failedImages", outcome.failedImages().size());
        List<Map<String, Object>> best = new ArrayList<>();
        for (var model : outcome.models()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", model.spec().name());
            row.put("bestPhase", model.bestPhase());
            row.put("bestEpoch", model.bestEpoch());
            row.put("thresholds", model.thresholds());
            best.add(row);
        }
        summary.put("best", best);
        AtomicFiles.writeString(run.runSummary(), JSON.writeValueAsString(summary));
    }
}
