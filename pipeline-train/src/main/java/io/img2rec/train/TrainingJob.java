package io.img2rec.train;

import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.config.TopModelConfig;
import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TopSpec;
import io.img2rec.core.provenance.Environment;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.PredictionsCsv;
import io.img2rec.core.run.ProvenanceFile;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.run.RunSummary;
import io.img2rec.train.run.EpochLog;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The main job: manifest → split → both phases for every model of the configured architecture → predictions on
 * every split → evaluation, all in one run folder. Resumable: {@link #resume(RunLayout)} continues an interrupted
 * run from its last checkpoints with the run's own config and split.
 */
public final class TrainingJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

    private final PipelineConfig config;
    private final Path projectRoot;
    private final boolean showProgress;
    private final WeightsStep weights;
    private ArchitectureTraining.AfterEpoch afterEpoch = (model, phase, epoch) -> { };

    /** Puts starting weights into a fresh network and says what they were (for provenance and the report). */
    @FunctionalInterface
    public interface WeightsStep {
        String load(ComputationGraph network, ModelConfig model) throws Exception;
    }

    public TrainingJob(PipelineConfig config, Path projectRoot, boolean showProgress, WeightsStep weights) {
        this.config = config;
        this.projectRoot = projectRoot;
        this.showProgress = showProgress;
        this.weights = weights;
    }

    /** What a finished run produced. */
    public record Result(RunLayout run, ArchitectureTraining.Outcome outcome, Manifest manifest,
                         RunProvenance provenance) {
    }

    /** Sets a hook called after every epoch's checkpoints (e.g. to interrupt a run in a test); returns this. */
    public TrainingJob afterEpoch(ArchitectureTraining.AfterEpoch hook) {
        this.afterEpoch = hook;
        return this;
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
        RunLayout run = RunLayout.create(runsDir, config.name(), LocalDateTime.now());
        LOG.info("run folder: {}", run.root());
        AtomicFiles.writeString(run.config(), ConfigWriter.toYaml(config));
        Manifest manifest = DatasetPreparation.scanAndSplit(config, datasetRoot(), run, showProgress);
        return train(run, manifest);
    }

    public Result resume(RunLayout run) throws Exception {
        LOG.info("resuming run {}", run.root());
        Manifest manifest = DatasetPreparation.readBack(run, config.labels());
        return train(run, manifest);
    }

    private Result train(RunLayout run, Manifest manifest) throws Exception {
        long start = System.nanoTime();
        ModelConfig model = config.model();
        int outputs = model.heads() == ModelConfig.Heads.MULTILABEL ? config.labels().size() : 1;
        ComputationGraph full = network(config);
        try {
            full.init();
            String weightsSource = weights.load(full, model);
            if (weightsSource.startsWith("random")) {
                LOG.warn("\n*** The base network starts from RANDOM weights, not ImageNet: {}.\n*** Scores from this run say "
                        + "nothing about the real recipe; see README 'ImageNet weights'.", weightsSource);
            }
            var provenance = new RunProvenance(ConfigWriter.hash(config), manifest.contentHash(), config.seed(),
                    Environment.gitCommit(projectRoot), weightsSource, Environment.versions(), Environment.backend(),
                    Instant.now().toString());
            ProvenanceFile.write(run.provenance(), provenance);

            List<ModelSpec> specs = new ArrayList<>();
            if (outputs == 1) {
                config.labels().forEach(label -> specs.add(ModelSpec.perLabel(config.labels(), label)));
            } else {
                specs.add(ModelSpec.multilabel(config.labels()));
            }
            var training = new ArchitectureTraining(config, manifest, datasetRoot(), run, provenance,
                    EpochLog.open(run.epochMetrics()), showProgress).afterEpoch(afterEpoch);
            ArchitectureTraining.Outcome outcome = training.run(full, specs);
            PredictionsCsv.write(run.predictions(),
                    RunOutputs.predictions(config.model().architecture().configName(), manifest, outcome));
            RunSummary.write(run.runSummary(),
                    RunOutputs.summary(datasetRoot(), manifest, outcome, (System.nanoTime() - start) / 1e9));
            return new Result(run, outcome, manifest, provenance);
        } finally {
            full.close();
        }
    }
}
