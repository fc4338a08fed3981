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
import io.img2rec.core.weights.WeightsSource;
import io.img2rec.train.api.Stage;
import io.img2rec.train.run.EpochLog;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Internal (the public entry is {@link io.img2rec.train.api.Training}). One training run: manifest → split → both
 * phases for every model of the configured architecture → predictions on every split, all in one run folder.
 * Resumable: {@link #resume(RunLayout)} continues an interrupted run from its last checkpoints with the run's own
 * split.
 */
public final class TrainingJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

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
    public record Result(RunLayout run, ArchitectureTraining.Outcome outcome, Manifest manifest,
                         RunProvenance provenance, WeightsSource weights, Map<Stage, Duration> durations,
                         Duration total, PipelineConfig config) {
    }

    public Path datasetRoot() {
        Path root = config.data().root();
        return root.isAbsolute() ? root : projectRoot.resolve(root).normalize();
    }

    /** The folder of cache shards the run reads its trunk cache from ({@code cache.shards}); null: none. */
    public Path cacheShards() {
        return config.cache().shardsFolder()
                .map(p -> p.isAbsolute() ? p : projectRoot.resolve(p).normalize()).orElse(null);
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
        try {
            long start = System.nanoTime();
            AtomicFiles.writeString(run.config(), ConfigWriter.toYaml(config));
            hooks.listener().stageStarted(Stage.DATASET, config.name());
            Manifest manifest = DatasetPreparation.scanAndSplit(config, datasetRoot(), run, hooks.showProgress());
            Duration dataset = Duration.ofNanos(System.nanoTime() - start);
            hooks.listener().stageFinished(Stage.DATASET, config.name(), dataset);
            return train(run, manifest, dataset);
        } catch (RunCancelled e) {
            throw e; // the message points at the folder for a resume
        } catch (Exception | Error e) {
            removeIfNoResults(run, e);
            throw e;
        }
    }

    /** A start that failed before its first checkpoint leaves no run folder behind (nothing in it could be used). */
    private static void removeIfNoResults(RunLayout run, Throwable failure) {
        try {
            if (run.deleteIfNoResults()) {
                LOG.info("removed the run folder {}: the run failed before writing any checkpoint", run.root());
            } else {
                LOG.info("the failed run's checkpoints stay in {}", run.root());
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Continues {@code run} from its checkpoints, with its own manifest and split (the config should be its own). */
    public Result resume(RunLayout run) throws Exception {
        LOG.info("resuming run {}", run.root());
        long start = System.nanoTime();
        hooks.listener().stageStarted(Stage.DATASET, config.name());
        Manifest manifest = DatasetPreparation.readBack(run, config.labels());
        Duration dataset = Duration.ofNanos(System.nanoTime() - start);
        hooks.listener().stageFinished(Stage.DATASET, config.name(), dataset);
        return train(run, manifest, dataset);
    }

    private Result train(RunLayout run, Manifest manifest, Duration dataset) throws Exception {
        try {
            return trainOrCancel(run, manifest, dataset);
        } catch (RunCancelled e) {
            LOG.info("training cancelled; resume with the run folder {}", run.root());
            throw new RunCancelled(run.root());
        }
    }

    private Result trainOrCancel(RunLayout run, Manifest manifest, Duration dataset) throws Exception {
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
            ProvenanceFile.write(run.provenance(), provenance);

            List<ModelSpec> specs = new ArrayList<>();
            if (outputs == 1) {
                config.labels().forEach(label -> specs.add(ModelSpec.perLabel(config.labels(), label)));
            } else {
                specs.add(ModelSpec.multilabel(config.labels()));
            }
            var context = new RunContext(config, run, provenance, EpochLog.open(run.epochMetrics()), hooks);
            ArchitectureTraining.Outcome outcome = new ArchitectureTraining(context, manifest, datasetRoot(),
                    cacheShards())
                    .run(full, specs);
            PredictionsCsv.write(run.predictions(),
                    RunOutputs.predictions(config.model().architecture().configName(), manifest, outcome));
            RunSummary.write(run.runSummary(),
                    RunOutputs.summary(datasetRoot(), manifest, outcome, (System.nanoTime() - start) / 1e9));
            Map<Stage, Duration> durations = new EnumMap<>(Stage.class);
            durations.put(Stage.DATASET, dataset);
            durations.putAll(outcome.durations());
            return new Result(run, outcome, manifest, provenance, weightsSource, durations,
                    dataset.plus(Duration.ofNanos(System.nanoTime() - start)), config);
        } finally {
            full.close();
        }
    }
}
