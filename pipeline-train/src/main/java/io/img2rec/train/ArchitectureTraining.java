package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.ParameterTransfer;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.metrics.ScoredLabels;
import io.img2rec.core.metrics.ThresholdSelection;
import io.img2rec.train.augment.KerasAugmenter;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.FrozenTrunkCache;
import io.img2rec.train.cache.ImageInputs;
import io.img2rec.train.loop.ClassWeighting;
import io.img2rec.train.loop.EpochResult;
import io.img2rec.train.loop.HeadTrainer;
import io.img2rec.train.loop.Optimizers;
import io.img2rec.train.loop.PhaseRunner;
import io.img2rec.train.loop.TrainingData;
import io.img2rec.train.run.EpochLog;
import io.img2rec.train.run.Progress;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Trains every model of one architecture from one shared frozen-trunk cache: the trunk (everything below the
 * last N layers) runs once per image and once per augmented copy; phase 1 trains the top on features computed
 * once from that cache; phase 2 fine-tunes the last N layers on it. Checkpoints (best = full servable network,
 * last = the trainable part with its optimiser state, for resume) go to the run's {@code checkpoints/}.
 */
public final class ArchitectureTraining {
    private static final Logger LOG = LoggerFactory.getLogger(ArchitectureTraining.class);
    public static final String PHASE_TOP = "top";
    public static final String PHASE_FINE_TUNE = "fine_tune";

    private final PipelineConfig config;
    private final Manifest manifest;
    private final Path datasetRoot;
    private final RunLayout run;
    private final RunProvenance provenance;
    private final EpochLog epochLog;
    private final boolean showProgress;
    private AfterEpoch afterEpoch = (model, phase, epoch) -> { };

    /** Called after each epoch's checkpoints are written (tests use it to interrupt a run at a chosen point). */
    @FunctionalInterface
    public interface AfterEpoch {
        void after(String model, String phase, int epoch);
    }

    /** Sets the hook called after each epoch; returns this. */
    public ArchitectureTraining afterEpoch(AfterEpoch hook) {
        this.afterEpoch = hook;
        return this;
    }

    public ArchitectureTraining(PipelineConfig config, Manifest manifest, Path datasetRoot, RunLayout run,
                                RunProvenance provenance, EpochLog epochLog, boolean showProgress) {
        this.config = config;
        this.manifest = manifest;
        this.datasetRoot = datasetRoot;
        this.run = run;
        this.provenance = provenance;
        this.epochLog = epochLog;
        this.showProgress = showProgress;
    }

    /** Scores of one model's best checkpoint for every image that could be loaded: [image][output], null if not. */
    public record ModelOutcome(ModelSpec spec, double[][] bestScores, Map<String, Double> thresholds,
                               String bestPhase, int bestEpoch, double bestScore) {
    }

    /** What the architecture's training produced and how fast it went. */
    public record Outcome(List<ModelOutcome> models, Map<String, Double> seconds, Map<String, Double> imagesPerSecond,
                          Map<Integer, String> failedImages) {
    }

    /**
     * @param full an initialised network (base with its starting weights + top); its base is never changed, it
     *             serves as the template every best checkpoint is written from
     */
    public Outcome run(ComputationGraph full, List<ModelSpec> specs) throws CheckpointException, IOException {
        String arch = config.model().architecture().configName();
        List<ManifestEntry> entries = manifest.entries();
        int n = entries.size();
        List<Integer> train = indices(entries, Split.TRAIN);
        List<Integer> validation = indices(entries, Split.VALIDATION);
        float[][] allTruth = new float[n][config.labels().size()];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < config.labels().size(); l++) {
                allTruth[i][l] = entries.get(i).hasLabel(config.labels().get(l)) ? 1f : 0f;
            }
        }
        int fineTuneEpochs = config.train().fineTune().epochs();
        int copies = config.augment().enabled() && fineTuneEpochs > 0 ? config.augment().copies() : 0;
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Double> rates = new LinkedHashMap<>();

        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(config.model().unfrozenLayers());
        LOG.info("{}: last {} layers trainable: {}; frozen-layer cache at {}", arch, config.model().unfrozenLayers(),
                plan.trainable(), plan.boundary());
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan)) {
            List<CacheItem> items = new ArrayList<>();
            List<CacheItem> originals = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                originals.add(new CacheItem(i, CacheItem.ORIGINAL));
                items.add(new CacheItem(i, CacheItem.ORIGINAL));
                if (copies > 0 && entries.get(i).split() == Split.TRAIN) {
                    for (int k = 0; k < copies; k++) {
                        items.add(new CacheItem(i, k));
                    }
                }
            }
            var inputs = new ImageInputs(entries.stream().map(e -> datasetRoot.resolve(e.path())).toList(),
                    entries.stream().map(ManifestEntry::sha256).toList(), InputEncoder.of(config.model()),
                    copies > 0 ? new KerasAugmenter(config.augment()) : null, config.seed());
            long budget = config.cache().ramBudgetMb() * 1024L * 1024L;
            FrozenTrunkCache trunkCache;
            try (Progress p = progress(arch + " frozen layers", items.size())) {
                trunkCache = FrozenTrunkCache.build(split.trunk(), split.boundary(), inputs, items,
                        config.train().batchSize(), budget, run.cache(), p::step);
                seconds.put("cache", p.seconds());
                rates.put("cache", items.size() / Math.max(p.seconds(), 1e-9));
            }
            LOG.info(String.format(Locale.ROOT, "%s: cached %d activations (%d originals + %d augmented) in %.1f s, %.1f img/s%s",
                    arch, trunkCache.size(), n, items.size() - n, trunkCache.buildSeconds(), rates.get("cache"),
                    trunkCache.spilledRows() > 0 ? ", " + trunkCache.spilledRows() + " rows spilled to disk" : ""));
            Map<Integer, String> failed = new LinkedHashMap<>();
            trunkCache.failures().forEach((item, reason) -> {
                if (!item.augmented()) {
                    failed.put(item.image(), reason);
                }
            });

            boolean middleExists = !plan.head().containsAll(plan.trainable());
            TrunkHeadSplit topSplit = null;
            FrozenTrunkCache featureCache = trunkCache;
            ComputationGraph topTemplate = split.head();
            try {
                if (middleExists) {
                    FreezePlan topPlan = GraphTopology.of(split.head().getConfiguration()).lastLayersTrainable(1);
                    topSplit = TrunkHeadSplit.of(split.head(), topPlan);
                    List<CacheItem> cached = originals.stream().filter(trunkCache::contains).toList();
                    try (Progress p = progress(arch + " bottleneck features", cached.size())) {
                        featureCache = FrozenTrunkCache.build(topSplit.trunk(), topSplit.boundary(),
                                trunkCache.asSource(), cached, config.train().batchSize(), budget, run.cache(), p::step);
                        seconds.put("features", p.seconds());
                    }
                    topTemplate = topSplit.head();
                }
                List<ModelOutcome> outcomes = new ArrayList<>();
                double topSeconds = 0;
                double fineSeconds = 0;
                for (ModelSpec spec : specs) {
                    var job = new ModelJob(arch, spec, full, split.head(), topTemplate, trunkCache, featureCache,
                            project(allTruth, spec), train, validation, copies);
                    outcomes.add(job.run());
                    topSeconds += job.topSeconds;
                    fineSeconds += job.fineSeconds;
                }
                seconds.put(PHASE_TOP, topSeconds);
                seconds.put(PHASE_FINE_TUNE, fineSeconds);
                int epochsTop = config.train().top().epochs();
                rates.put(PHASE_TOP, topSeconds > 0 ? (double) train.size() * epochsTop * specs.size() / topSeconds : 0);
                rates.put(PHASE_FINE_TUNE, fineSeconds > 0
                        ? (double) train.size() * fineTuneEpochs * specs.size() / fineSeconds : 0);
                return new Outcome(outcomes, seconds, rates, failed);
            } finally {
                if (featureCache != trunkCache) {
                    featureCache.close();
                }
                trunkCache.close();
                if (topSplit != null) {
                    topSplit.close();
                }
            }
        }
    }

    private Progress progress(String task, long total) {
        return showProgress ? Progress.start(task, total) : Progress.silent();
    }

    private static List<Integer> indices(List<ManifestEntry> entries, Split split) {
        return IntStream.range(0, entries.size()).filter(i -> entries.get(i).split() == split).boxed().toList();
    }

    private static float[][] project(float[][] truth, ModelSpec spec) {
        float[][] out = new float[truth.length][spec.outputs()];
        for (int i = 0; i < truth.length; i++) {
            for (int o = 0; o < spec.outputs(); o++) {
                out[i][o] = truth[i][spec.columns()[o]];
            }
        }
        return out;
    }

    /** A best model kept in memory until the next checkpoint writes it. */
    private record Pending(ComputationGraph model, CheckpointSidecar sidecar) {
    }

    /** Both phases of one model, with its checkpoints. */
    private final class ModelJob {
        private final String arch;
        private final ModelSpec spec;
        private final ComputationGraph full;
        private final ComputationGraph headTemplate;
        private final ComputationGraph topTemplate;
        private final FrozenTrunkCache trunkCache;
        private final FrozenTrunkCache featureCache;
        private final float[][] truth;
        private final List<Integer> train;
        private final List<Integer> validation;
        private final int copies;
        private final CheckpointStore store = new CheckpointStore(run.checkpoints());
        private final HeadTrainer trainer = new HeadTrainer(config.train().batchSize());
        private final PhaseRunner runner = new PhaseRunner(trainer, config.train().checkpointMetric(),
                config.train().earlyStoppingPatience());
        private double topSeconds;
        private double fineSeconds;
        private double[][] bestScores;
        private Map<String, Double> bestThresholds = Map.of();
        private String bestPhase = "";
        private int bestEpoch;
        private Pending pendingTopBest;
        private Pending pendingBest;
        private long lastCheckpointNanos = System.nanoTime();

        ModelJob(String arch, ModelSpec spec, ComputationGraph full, ComputationGraph headTemplate,
                 ComputationGraph topTemplate, FrozenTrunkCache trunkCache, FrozenTrunkCache featureCache,
                 float[][] truth, List<Integer> train, List<Integer> validation, int copies) {
            this.arch = arch;
            this.spec = spec;
            this.full = full;
            this.headTemplate = headTemplate;
            this.topTemplate = topTemplate;
            this.trunkCache = trunkCache;
            this.featureCache = featureCache;
            this.truth = truth;
            this.train = train;
            this.validation = validation;
            this.copies = copies;
        }

        private String name(CheckpointSlot slot) {
            return RunLayout.checkpointName(arch, spec.name(), slot);
        }

        private String key() {
            return arch + "/" + spec.name();
        }

        ModelOutcome run() throws CheckpointException, IOException {
            ClassWeighting weights = ClassWeighting.of(config.train().classWeights(), trainTruth(), spec.outputs());
            ResumeState state = resumeState();
            ComputationGraph top = null;
            if (state.phase().equals(PHASE_TOP)) {
                LOG.info("{}: phase 1 (top model, {}), from epoch {}", key(),
                        config.train().top().optimizer().kind().configName(), state.epochsCompleted() + 1);
                top = state.epochsCompleted() > 0 ? store.load(name(CheckpointSlot.LAST), true)
                        : Optimizers.apply(topTemplate.clone(), config.train().top().optimizer());
                var data = new TrainingData(featureCache, truth, train, validation, 0);
                long start = System.nanoTime();
                state = runner.run(top, data, weights, config.seed(), key(), PHASE_TOP, config.train().top().epochs(),
                        state, sink(top, featureCache, PHASE_TOP), epochProgress(PHASE_TOP, data.trainImages().size()));
                topSeconds = (System.nanoTime() - start) / 1e9;
                state = PhaseRunner.fresh(PHASE_FINE_TUNE, state.overallBestScore());
            }
            ComputationGraph head;
            if (state.epochsCompleted() > 0) {
                head = store.load(name(CheckpointSlot.LAST), true);
            } else {
                head = Optimizers.apply(headTemplate.clone(), config.train().fineTune().optimizer());
                if (store.exists(name(CheckpointSlot.TOP_BEST))) {
                    ParameterTransfer.copyMatchingParams(store.load(name(CheckpointSlot.TOP_BEST), false), head);
                } else if (top != null) {
                    ParameterTransfer.copyMatchingParams(top, head);
                }
            }
            LOG.info("{}: phase 2 (fine-tuning, {}), from epoch {}", key(),
                    config.train().fineTune().optimizer().kind().configName(), state.epochsCompleted() + 1);
            var data = new TrainingData(trunkCache, truth, train, validation, copies);
            long start = System.nanoTime();
            runner.run(head, data, weights, config.seed(), key(), PHASE_FINE_TUNE, config.train().fineTune().epochs(),
                    state, sink(head, trunkCache, PHASE_FINE_TUNE),
                    epochProgress(PHASE_FINE_TUNE, data.trainImages().size()));
            fineSeconds = (System.nanoTime() - start) / 1e9;
            if (bestScores == null && store.exists(name(CheckpointSlot.BEST_HEAD))) { // resumed after the best was written
                restoreBestScores();
            }
            writeServableBest();
            return new ModelOutcome(spec, bestScores, bestThresholds, bestPhase, bestEpoch, state.overallBestScore());
        }

        /** A progress bar per epoch (rate, ETA) on a terminal; a log line every 15 s otherwise. */
        private java.util.function.IntConsumer epochProgress(String phase, int imagesPerEpoch) {
            return new java.util.function.IntConsumer() {
                private Progress current;
                private long done;
                private int epoch;

                @Override
                public void accept(int n) {
                    if (current == null) {
                        epoch++;
                        current = progress(key() + " " + phase + " epoch " + epoch, imagesPerEpoch);
                    }
                    current.step(n);
                    done += n;
                    if (done >= imagesPerEpoch) {
                        current.close();
                        current = null;
                        done = 0;
                    }
                }
            };
        }

        private float[][] trainTruth() {
            float[][] rows = new float[train.size()][];
            for (int i = 0; i < train.size(); i++) {
                rows[i] = truth[train.get(i)];
            }
            return rows;
        }

        private ResumeState resumeState() throws CheckpointException {
            if (!store.exists(name(CheckpointSlot.LAST))) {
                return PhaseRunner.fresh(PHASE_TOP, Double.NEGATIVE_INFINITY);
            }
            ResumeState saved = store.readSidecar(name(CheckpointSlot.LAST)).resumeState();
            if (saved == null) {
                throw new CheckpointException(store.sidecarFile(name(CheckpointSlot.LAST)) + " has no resume state; it was not "
                        + "written by a training run of this version");
            }
            LOG.info("{}: resuming {} after epoch {}", key(), saved.phase(), saved.epochsCompleted());
            if (saved.phase().equals(PHASE_TOP) && saved.phaseFinished()) {
                return PhaseRunner.fresh(PHASE_FINE_TUNE, saved.overallBestScore());
            }
            return saved;
        }

        private PhaseRunner.EpochSink sink(ComputationGraph model, FrozenTrunkCache cache, String phase) {
            int totalEpochs = phase.equals(PHASE_TOP) ? config.train().top().epochs() : config.train().fineTune().epochs();
            return (result, head, phaseBest, overallBest, state) -> {
                try {
                    epochLog.add(arch, spec.name(), result);
                } catch (IOException e) {
                    throw new CheckpointException("cannot write " + run.epochMetrics() + ": " + e.getMessage(), e);
                }
                LOG.info(String.format(Locale.ROOT,
                        "%s %s epoch %d/%d: train loss %.4f, val loss %.4f, val AUC %s, val acc %.3f, %.1f s, %.1f img/s%s",
                        key(), phase, result.epoch(), totalEpochs, result.trainLoss(), result.validationLoss(),
                        Double.isNaN(result.validationAuc()) ? "N/A" : String.format(Locale.ROOT, "%.4f", result.validationAuc()),
                        result.validationAccuracy(), result.seconds(), result.imagesPerSecond(),
                        overallBest ? "  [best]" : ""));
                if (phase.equals(PHASE_TOP) && phaseBest) {
                    pendingTopBest = new Pending(head.clone(), sidecar("top-best", "head", result, Map.of(), null));
                }
                if (overallBest) {
                    bestScores = scoreAll(head, cache);
                    bestThresholds = thresholds(bestScores);
                    bestPhase = phase;
                    bestEpoch = result.epoch();
                    pendingBest = new Pending(head.clone(), sidecar("best", "head", result, bestThresholds, null));
                }
                long now = System.nanoTime();
                int interval = config.train().checkpointIntervalSeconds();
                if (interval == 0 || state.phaseFinished() || now - lastCheckpointNanos >= interval * 1_000_000_000L) {
                    // The bests found since the previous checkpoint go first: "last" then records them as written.
                    if (pendingTopBest != null) {
                        store.write(name(CheckpointSlot.TOP_BEST), pendingTopBest.model(), false, pendingTopBest.sidecar());
                        pendingTopBest = null;
                    }
                    if (pendingBest != null) {
                        store.write(name(CheckpointSlot.BEST_HEAD), pendingBest.model(), false, pendingBest.sidecar());
                        pendingBest = null;
                    }
                    store.write(name(CheckpointSlot.LAST), head, true, sidecar("last", "head", result, Map.of(), state));
                    lastCheckpointNanos = System.nanoTime();
                }
                afterEpoch.after(key(), phase, result.epoch());
            };
        }

        private double[][] scoreAll(ComputationGraph head, FrozenTrunkCache cache) {
            List<Integer> present = IntStream.range(0, truth.length)
                    .filter(i -> cache.contains(new CacheItem(i, CacheItem.ORIGINAL))).boxed().toList();
            double[][] scores = new double[truth.length][];
            double[][] predicted = trainer.predict(head, cache, present);
            for (int i = 0; i < present.size(); i++) {
                scores[present.get(i)] = predicted[i];
            }
            return scores;
        }

        /**
         * The servable best: the frozen base as it started plus the best epoch's trainable layers, as one network.
         * Written once per model (a full VGG16 zip is ~60 MB); during training only the trainable part is saved.
         */
        private void writeServableBest() throws CheckpointException {
            if (!store.exists(name(CheckpointSlot.BEST_HEAD))) {
                return;
            }
            CheckpointSidecar head = store.readSidecar(name(CheckpointSlot.BEST_HEAD));
            ParameterTransfer.copyMatchingParams(headTemplate, full);
            ParameterTransfer.copyMatchingParams(store.load(name(CheckpointSlot.BEST_HEAD), false), full);
            store.write(name(CheckpointSlot.BEST), full, false, new CheckpointSidecar(head.formatVersion(), head.architecture(),
                    head.labels(), "best", "full", head.inputSize(), head.preprocessing(), head.resize(),
                    head.dataFormat(), head.phase(), head.epoch(), head.metrics(), head.thresholds(), null, null,
                    head.provenance(), null));
        }

        private void restoreBestScores() throws CheckpointException {
            CheckpointSidecar best = store.readSidecar(name(CheckpointSlot.BEST_HEAD));
            ComputationGraph bestHead = headTemplate.clone();
            ParameterTransfer.copyMatchingParams(store.load(name(CheckpointSlot.BEST_HEAD), false), bestHead);
            bestScores = scoreAll(bestHead, trunkCache);
            bestThresholds = best.thresholds();
            bestPhase = best.phase();
            bestEpoch = best.epoch();
        }

        private Map<String, Double> thresholds(double[][] scores) {
            Map<String, Double> out = new LinkedHashMap<>();
            for (int o = 0; o < spec.outputs(); o++) {
                List<Integer> scored = validation.stream().filter(i -> scores[i] != null).toList();
                boolean[] t = new boolean[scored.size()];
                double[] s = new double[scored.size()];
                for (int i = 0; i < scored.size(); i++) {
                    t[i] = truth[scored.get(i)][o] > 0.5f;
                    s[i] = scores[scored.get(i)][o];
                }
                out.put(spec.labels().get(o), ThresholdSelection.maxF1(ScoredLabels.of(t, s)).threshold());
            }
            return out;
        }

        private CheckpointSidecar sidecar(String kind, String contents, EpochResult result,
                                          Map<String, Double> thresholds, ResumeState state) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("validation_loss", result.validationLoss());
            if (!Double.isNaN(result.validationAuc())) {
                metrics.put("validation_auc", result.validationAuc());
            }
            metrics.put("validation_accuracy", result.validationAccuracy());
            metrics.put("train_loss", result.trainLoss());
            var model = config.model();
            return new CheckpointSidecar(CheckpointSidecar.FORMAT_VERSION, arch, spec.labels(), kind, contents,
                    model.inputSize(), model.preprocessing().configName(), model.resize().configName(),
                    model.dataFormat().configName(), result.phase(), result.epoch(), metrics, thresholds, null, null,
                    provenance, state);
        }
    }
}
