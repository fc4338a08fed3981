package io.img2rec.train.api;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.ManifestException;
import io.img2rec.core.metrics.MetricValue;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.weights.WeightsException;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.train.ArchitectureTraining;
import io.img2rec.train.BaseWeights;
import io.img2rec.train.RunCancelled;
import io.img2rec.train.TrainingHooks;
import io.img2rec.train.TrainingJob;
import io.img2rec.train.checkpoint.SidecarFactory;
import io.img2rec.core.run.RunLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Trains the models of one config on a dataset of labelled folders and returns a {@link TrainedRun}: the
 * frozen-trunk cache, phase 1 (top model) and phase 2 (fine-tuning) for every label, checkpoints, thresholds and
 * predictions, all in a new run folder. Build one with {@link #builder()}; a {@code Training} is immutable and may
 * run several times (each {@link #train()} makes a new run folder). Runs on the calling thread.
 *
 * <p>Configures the native libraries (oneDNN) on {@link Builder#build()}, before ND4J loads; see
 * {@link NativeSetup}.
 */
public final class Training {
    private final PipelineConfig config;
    private final Path projectRoot;
    private final TrainingListener listener;
    private final Cancellation cancellation;
    private final WeightsLocations weightsLocations;
    private final boolean consoleProgress;

    private Training(Builder b, PipelineConfig config) {
        this.config = config;
        this.projectRoot = b.projectRoot;
        this.listener = b.listener;
        this.cancellation = b.cancellation;
        this.weightsLocations = b.weightsLocations;
        this.consoleProgress = b.consoleProgress;
    }

    /** @return a builder; {@link Builder#setConfig} or {@link Builder#setConfigFile} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the config this training runs, with the builder's dataset, labels and runs folder applied */
    public PipelineConfig config() {
        return config;
    }

    /**
     * Scans the dataset, splits it, trains every model and writes a new run folder under the config's
     * {@code runs_dir}.
     *
     * @throws TrainingCancelledException the {@link Cancellation} was tripped; the exception names the run folder
     *                                    to {@link #resume}
     * @throws TrainingException          the dataset, starting weights or run folder could not be used (the message
     *                                    says what to change)
     */
    public TrainedRun train() throws TrainingException {
        TrainingJob job = job(config);
        return run(job::runNew);
    }

    /**
     * Continues a run that stopped (cancelled, killed or failed) from its last checkpoints, with the run's own
     * config ({@code config.yaml} in the folder) and split; ends with the same models, bit for bit, as a run that
     * never stopped. A finished run is finished again without training (its checkpoints are complete).
     *
     * @param runFolder a folder a training run created
     */
    public TrainedRun resume(Path runFolder) throws TrainingException {
        Objects.requireNonNull(runFolder, "runFolder");
        RunLayout run;
        PipelineConfig runConfig;
        try {
            run = RunLayout.open(runFolder);
            runConfig = ConfigLoader.load(run.config(), Map.of());
        } catch (IOException | ConfigException e) {
            throw new TrainingException("cannot resume " + runFolder + ": " + e.getMessage(), e);
        }
        TrainingJob job = job(runConfig);
        return run(() -> job.resume(run));
    }

    private TrainingJob job(PipelineConfig runConfig) {
        return new TrainingJob(runConfig, projectRoot, new BaseWeights(weightsLocations),
                new TrainingHooks(consoleProgress, listener, cancellation));
    }

    @FunctionalInterface
    private interface JobCall {
        TrainingJob.Result call() throws Exception;
    }

    private static TrainedRun run(JobCall call) throws TrainingException {
        TrainingJob.Result result;
        try {
            result = call.call();
        } catch (RunCancelled e) {
            throw new TrainingCancelledException(e.runFolder());
        } catch (ConfigException | ManifestException | CheckpointException | WeightsException | IOException e) {
            throw new TrainingException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new TrainingException("training failed: " + e, e);
        }
        return trainedRun(result);
    }

    private static TrainedRun trainedRun(TrainingJob.Result result) {
        PipelineConfig config = result.config();
        List<BestModel> models = new ArrayList<>();
        for (ArchitectureTraining.ModelOutcome model : result.outcome().models()) {
            if (model.bestCheckpoint() == null) {
                continue;
            }
            models.add(new BestModel(model.spec().name(), model.spec().labels(), config.model().architecture(),
                    model.bestPhase(), model.bestEpoch(), metrics(model.bestMetrics()), model.thresholds(),
                    model.bestCheckpoint()));
        }
        List<ManifestEntry> entries = result.manifest().entries();
        Map<String, String> skipped = new LinkedHashMap<>();
        result.outcome().failedImages().forEach((image, reason) -> skipped.put(entries.get(image).path(), reason));
        return new TrainedRun(result.run().root(), config.labels(), models, result.weights(), result.provenance(),
                result.durations(), result.total(), skipped);
    }

    private static EpochMetrics metrics(Map<String, Double> sidecar) {
        Double auc = sidecar.get(SidecarFactory.VALIDATION_AUC);
        return new EpochMetrics(sidecar.getOrDefault(SidecarFactory.TRAIN_LOSS, Double.NaN),
                sidecar.getOrDefault(SidecarFactory.VALIDATION_LOSS, Double.NaN),
                auc == null ? MetricValue.undefined("no output has both classes in the validation split")
                        : MetricValue.of(auc),
                sidecar.getOrDefault(SidecarFactory.VALIDATION_ACCURACY, Double.NaN));
    }

    /**
     * Builds a {@link Training}: a config is required ({@code set…}); everything else is optional ({@code opt…}).
     * Not thread-safe; {@link #build()} validates and returns an immutable {@code Training}.
     */
    public static final class Builder {
        private PipelineConfig config;
        private Path configFile;
        private final Map<String, String> overrides = new TreeMap<>();
        private Path projectRoot = Path.of("").toAbsolutePath();
        private TrainingListener listener = TrainingListener.NONE;
        private Cancellation cancellation = new Cancellation();
        private WeightsLocations weightsLocations;
        private boolean consoleProgress;

        private Builder() {
        }

        /** The run's config, e.g. from {@link ConfigLoader#load} or {@link PipelineConfig#defaults}. */
        public Builder setConfig(PipelineConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            this.configFile = null;
            return this;
        }

        /** A YAML config file (as {@code configs/vgg16.yaml}), read on {@link #build()}. */
        public Builder setConfigFile(Path file) {
            this.configFile = Objects.requireNonNull(file, "file");
            this.config = null;
            return this;
        }

        /** The dataset folder (one sub-folder per label), instead of the config's {@code data.root}. */
        public Builder optDatasetRoot(Path root) {
            overrides.put("data.root", Objects.requireNonNull(root, "root").toString());
            return this;
        }

        /** The labels to train, in order, instead of the config's {@code labels}. */
        public Builder optLabels(List<String> labels) {
            if (Objects.requireNonNull(labels, "labels").isEmpty()) {
                throw new IllegalArgumentException("labels: give at least one label");
            }
            overrides.put("labels", String.join(",", labels));
            return this;
        }

        /** Where run folders are created, instead of the config's {@code runs_dir}. */
        public Builder optRunsDir(Path runsDir) {
            overrides.put("runs_dir", Objects.requireNonNull(runsDir, "runsDir").toString());
            return this;
        }

        /**
         * Reads the frozen-layer cache from a folder of shards filled on Spark ({@code cache.shards}; see
         * docs/SPARK.md) instead of computing it; the run refuses shards filled for another config, dataset or
         * weights (the message names each differing field).
         */
        public Builder optCacheShards(Path folder) {
            overrides.put("cache.shards", Objects.requireNonNull(folder, "folder").toString());
            return this;
        }

        /**
         * The folder relative {@code data.root} and {@code runs_dir} resolve against, whose git commit goes into
         * provenance; default: the working directory.
         */
        public Builder optProjectRoot(Path root) {
            this.projectRoot = Objects.requireNonNull(root, "root").toAbsolutePath();
            return this;
        }

        /** Told about stages, progress and every finished epoch; default: none. */
        public Builder optListener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Checked between batches and epochs; trip it to stop a run resumably. Default: never cancelled. */
        public Builder optCancellation(Cancellation cancellation) {
            this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
            return this;
        }

        /**
         * Where {@code model.weights: imagenet} looks for ImageNet weights (DL4J's zoo cache, the Keras models
         * folder); default: {@link WeightsLocations#fromSystemProperties()}.
         */
        public Builder optWeights(WeightsLocations locations) {
            this.weightsLocations = Objects.requireNonNull(locations, "locations");
            return this;
        }

        /** Console progress bars when a terminal is attached (for command-line hosts); default off. */
        public Builder optConsoleProgress(boolean show) {
            this.consoleProgress = show;
            return this;
        }

        /**
         * Configures the native libraries (once per JVM), reads the config file if one was set and applies the
         * dataset, labels and runs-folder options to it.
         *
         * @throws IllegalStateException no config was set
         * @throws ConfigException       the config file or an option is not valid (the message names each problem)
         */
        public Training build() throws ConfigException {
            NativeSetup.configure();
            if (config == null && configFile == null) {
                throw new IllegalStateException("Training.builder(): no config; call setConfig(PipelineConfig) or "
                        + "setConfigFile(Path) before build()");
            }
            PipelineConfig base = config != null ? config : ConfigLoader.load(configFile, Map.of());
            PipelineConfig effective = overrides.isEmpty() ? base
                    : ConfigLoader.parse(ConfigWriter.toYaml(base), "Training.builder() options " + overrides.keySet(),
                    overrides);
            if (weightsLocations == null) {
                weightsLocations = WeightsLocations.fromSystemProperties();
            }
            return new Training(this, effective);
        }
    }
}
