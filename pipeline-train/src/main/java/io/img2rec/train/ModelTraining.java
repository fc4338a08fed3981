package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.metrics.MetricValue;
import io.img2rec.core.model.ParameterTransfer;
import io.img2rec.train.api.EpochMetrics;
import io.img2rec.train.api.EpochSummary;
import io.img2rec.train.api.Phase;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.FrozenTrunkCache;
import io.img2rec.train.checkpoint.CheckpointNames;
import io.img2rec.train.checkpoint.CheckpointPolicy;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.train.checkpoint.ResumePlan;
import io.img2rec.train.checkpoint.SidecarFactory;
import io.img2rec.train.loop.ClassWeighting;
import io.img2rec.train.loop.DenseTopStep;
import io.img2rec.train.loop.EpochResult;
import io.img2rec.train.loop.HeadTrainer;
import io.img2rec.train.loop.Optimizers;
import io.img2rec.train.loop.PhaseRunner;
import io.img2rec.train.loop.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Both phases of one model on its architecture's shared caches, continued from its "last" checkpoint when there is
 * one: phase 1 trains the top on the bottleneck features, phase 2 starts from phase 1's best and fine-tunes the
 * head on the trunk cache. After each epoch the {@link CheckpointPolicy} says which checkpoints to take and write;
 * at the end the servable best is assembled from the starting base and the best head.
 */
final class ModelTraining {
    private static final Logger LOG = LoggerFactory.getLogger(ModelTraining.class);

    /**
     * A best model kept in memory until the next checkpoint writes it, with the epoch it came from and the cache it
     * is scored on. The overall best's scores and thresholds are computed from this copy when it is written, so a
     * best that a better epoch replaces before the next write is never scored (scoring every image was most of the
     * time between phase-1 epochs; docs/performance.md, "Phase 1").
     */
    private record Pending(ComputationGraph model, EpochResult result, FrozenTrunkCache cache) {
    }

    /** The best epoch so far over both phases: its scores for every image and its tuned thresholds. */
    private record Best(double[][] scores, Map<String, Double> thresholds, Phase phase, int epoch) {
    }

    private final RunContext context;
    private final PipelineConfig config;
    private final TrunkCaches caches;
    private final ComputationGraph full;
    private final ModelSpec spec;
    private final float[][] truth;
    private final ImageSplits images;
    private final CheckpointNames names;
    private final CheckpointStore store;
    private final SidecarFactory sidecars;
    private final HeadTrainer trainer;
    private final PhaseRunner runner;
    private final CheckpointPolicy policy;
    private final Map<CheckpointSlot, Pending> pending = new EnumMap<>(CheckpointSlot.class);
    private Best best;

    /**
     * @param full the template every servable best is written from: base with its starting weights + top; its
     *             trainable layers are overwritten when the best is assembled
     */
    ModelTraining(RunContext context, TrunkCaches caches, ComputationGraph full, ImageSplits images, ModelSpec spec) {
        this.context = context;
        this.config = context.config();
        this.caches = caches;
        this.full = full;
        this.spec = spec;
        this.images = images;
        this.truth = images.truthOf(spec);
        String arch = config.model().architecture().configName();
        this.names = new CheckpointNames(arch, spec.name());
        this.store = new CheckpointStore(context.run().checkpoints());
        this.sidecars = new SidecarFactory(arch, spec.labels(), config.model(), context.provenance());
        this.trainer = new HeadTrainer(config.train().batchSize());
        this.runner = new PhaseRunner(trainer, config.train().checkpointMetric(), config.train().earlyStoppingPatience());
        this.policy = new CheckpointPolicy(config.train().checkpointIntervalSeconds(), System::nanoTime);
    }

    ArchitectureTraining.ModelOutcome run() throws CheckpointException {
        ClassWeighting weights = ClassWeighting.of(config.train().classWeights(), trainTruth(), spec.outputs());
        ResumeState state = resumeState();
        ComputationGraph top = null;
        Duration topTime = Duration.ZERO;
        if (ResumePlan.phaseOf(state) == Phase.TOP) {
            LOG.info("{}: phase 1 (top model, {}), from epoch {}", names.key(),
                    config.train().top().optimizer().kind().configName(), state.epochsCompleted() + 1);
            top = ResumePlan.start(state, false, false) == ResumePlan.Start.LAST_CHECKPOINT
                    ? store.load(names.name(CheckpointSlot.LAST), true)
                    : Optimizers.apply(caches.topTemplate().clone(), config.train().top().optimizer());
            LOG.info("{}: phase 1 trains the top {}", names.key(), DenseTopStep.of(top).isPresent()
                    ? "with the direct dense-top step (fit's arithmetic, bit for bit, without its per-call cost)"
                    : "through ComputationGraph.fit (not a plain dense top)");
            var data = new TrainingData(caches.features(), truth, images.train(), images.validation(), 0);
            long start = System.nanoTime();
            context.hooks().listener().stageStarted(Phase.TOP.stage(), names.key());
            state = runPhase(Phase.TOP, top, data, weights, state, caches.features());
            topTime = Duration.ofNanos(System.nanoTime() - start);
            context.hooks().listener().stageFinished(Phase.TOP.stage(), names.key(), topTime);
            state = ResumePlan.fresh(Phase.FINE_TUNE, state.overallBestScore());
        }
        boolean topBestWritten = store.exists(names.name(CheckpointSlot.TOP_BEST));
        ComputationGraph head = switch (ResumePlan.start(state, topBestWritten, top != null)) {
            case LAST_CHECKPOINT -> store.load(names.name(CheckpointSlot.LAST), true);
            case TOP_BEST_CHECKPOINT -> {
                ComputationGraph fresh = freshHead();
                ParameterTransfer.copyMatchingParams(store.load(names.name(CheckpointSlot.TOP_BEST), false), fresh);
                yield fresh;
            }
            case TOP_IN_MEMORY -> {
                ComputationGraph fresh = freshHead();
                ParameterTransfer.copyMatchingParams(top, fresh);
                yield fresh;
            }
            case TEMPLATE -> freshHead();
        };
        LOG.info("{}: phase 2 (fine-tuning, {}), from epoch {}", names.key(),
                config.train().fineTune().optimizer().kind().configName(), state.epochsCompleted() + 1);
        var data = new TrainingData(caches.trunk(), truth, images.train(), images.validation(),
                images.augmentedCopies());
        long start = System.nanoTime();
        context.hooks().listener().stageStarted(Phase.FINE_TUNE.stage(), names.key());
        state = runPhase(Phase.FINE_TUNE, head, data, weights, state, caches.trunk());
        Duration fineTime = Duration.ofNanos(System.nanoTime() - start);
        context.hooks().listener().stageFinished(Phase.FINE_TUNE.stage(), names.key(), fineTime);
        if (best == null && store.exists(names.name(CheckpointSlot.BEST_HEAD))) { // resumed after the best was written
            restoreBest();
        }
        CheckpointSidecar servable = writeServableBest();
        Path bestCheckpoint = servable == null ? null : store.sidecarFile(names.name(CheckpointSlot.BEST));
        return new ArchitectureTraining.ModelOutcome(spec, best == null ? null : best.scores(),
                best == null ? Map.of() : best.thresholds(), best == null ? null : best.phase(),
                best == null ? 0 : best.epoch(), state.overallBestScore(),
                servable == null ? Map.of() : servable.metrics(), bestCheckpoint, topTime, fineTime);
    }

    private ComputationGraph freshHead() {
        return Optimizers.apply(caches.headTemplate().clone(), config.train().fineTune().optimizer());
    }

    private ResumeState runPhase(Phase phase, ComputationGraph network, TrainingData data, ClassWeighting weights,
                                 ResumeState state, FrozenTrunkCache cache) throws CheckpointException {
        int epochs = epochsOf(phase);
        var progress = new EpochProgress(context.hooks(), phase.stage(), names.key(), phase.code(),
                data.trainImages().size(), state.epochsCompleted());
        return runner.run(network, data, weights, config.seed(), names.key(), phase, epochs, state,
                (result, trained, phaseBest, overallBest, after) ->
                        epochDone(result, trained, cache, phaseBest, overallBest, after), progress);
    }

    private int epochsOf(Phase phase) {
        return phase == Phase.TOP ? config.train().top().epochs() : config.train().fineTune().epochs();
    }

    private float[][] trainTruth() {
        float[][] rows = new float[images.train().size()][];
        for (int i = 0; i < images.train().size(); i++) {
            rows[i] = truth[images.train().get(i)];
        }
        return rows;
    }

    private ResumeState resumeState() throws CheckpointException {
        String last = names.name(CheckpointSlot.LAST);
        if (!store.exists(last)) {
            return ResumePlan.startingState(null);
        }
        ResumeState saved = store.readSidecar(last).resumeState();
        if (saved == null) {
            throw new CheckpointException(store.sidecarFile(last) + " has no resume state; it was not "
                    + "written by a training run of this version");
        }
        LOG.info("{}: resuming {} after epoch {}", names.key(), saved.phase(), saved.epochsCompleted());
        return ResumePlan.startingState(saved);
    }

    /** After each epoch: the epoch log, the checkpoints the policy asks for, then the listener and cancellation. */
    private void epochDone(EpochResult result, ComputationGraph head, FrozenTrunkCache cache, boolean phaseBest,
                           boolean overallBest, ResumeState state) throws CheckpointException {
        try {
            context.epochLog().add(names.architecture(), spec.name(), result);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + context.run().epochMetrics() + ": " + e.getMessage(), e);
        }
        Phase phase = result.phase();
        LOG.info(String.format(Locale.ROOT,
                "%s %s epoch %d/%d: train loss %.4f, val loss %.4f, val AUC %s, val acc %.3f, %.1f s, %.1f img/s%s",
                names.key(), phase.code(), result.epoch(), epochsOf(phase), result.trainLoss(), result.validationLoss(),
                Double.isNaN(result.validationAuc()) ? "N/A" : String.format(Locale.ROOT, "%.4f", result.validationAuc()),
                result.validationAccuracy(), result.seconds(), result.imagesPerSecond(),
                overallBest ? "  [best]" : ""));
        Set<CheckpointSlot> keep = policy.remember(phase, phaseBest, overallBest);
        if (!keep.isEmpty()) {
            // one copy for every slot that keeps this epoch (phase 1's best is usually the overall best too): from
            // here on the copy is only written and scored, never trained (a clone of a VGG16 top is ≈ 30 ms)
            Pending copy = new Pending(head.clone(), result, cache);
            for (CheckpointSlot slot : keep) {
                pending.put(slot, copy);
            }
        }
        List<CheckpointSlot> due = policy.due(state.phaseFinished());
        for (CheckpointSlot slot : due) {
            if (slot == CheckpointSlot.LAST) {
                store.write(names.name(slot), head, slot.withUpdater(),
                        sidecars.forEpoch(slot, result, Map.of(), state));
            } else {
                Pending written = pending.remove(slot);
                Map<String, Double> thresholds = Map.of();
                if (slot == CheckpointSlot.BEST_HEAD) {
                    double[][] scores = scoreAll(written.model(), written.cache());
                    thresholds = ThresholdTuning.maxF1(spec.labels(), truth, scores, images.validation());
                    best = new Best(scores, thresholds, written.result().phase(), written.result().epoch());
                }
                store.write(names.name(slot), written.model(), slot.withUpdater(),
                        sidecars.forEpoch(slot, written.result(), thresholds, null));
            }
        }
        if (!due.isEmpty()) {
            policy.written();
        }
        context.hooks().listener().epochFinished(summary(result, overallBest));
        context.hooks().checkCancelled();
    }

    private EpochSummary summary(EpochResult result, boolean overallBest) {
        MetricValue auc = Double.isNaN(result.validationAuc())
                ? MetricValue.undefined("no output has both classes in the validation split")
                : MetricValue.of(result.validationAuc());
        return new EpochSummary(names.architecture(), spec.name(), spec.labels(), result.phase(), result.epoch(),
                epochsOf(result.phase()), new EpochMetrics(result.trainLoss(), result.validationLoss(), auc,
                result.validationAccuracy()), Duration.ofNanos((long) (result.seconds() * 1e9)),
                result.imagesPerSecond(), overallBest);
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
     * Written once per model (a full VGG16@150 zip is ~67 MB, stored uncompressed); during training only the
     * trainable part is saved.
     *
     * @return the sidecar written, or null when the model has no best head
     */
    private CheckpointSidecar writeServableBest() throws CheckpointException {
        String bestHead = names.name(CheckpointSlot.BEST_HEAD);
        if (!store.exists(bestHead)) {
            return null;
        }
        CheckpointSidecar head = store.readSidecar(bestHead);
        ParameterTransfer.copyMatchingParams(caches.headTemplate(), full);
        ParameterTransfer.copyMatchingParams(store.load(bestHead, false), full);
        CheckpointSlot slot = CheckpointSlot.BEST;
        return store.write(names.name(slot), full, slot.withUpdater(), SidecarFactory.servable(head));
    }

    private void restoreBest() throws CheckpointException {
        String bestHead = names.name(CheckpointSlot.BEST_HEAD);
        CheckpointSidecar sidecar = store.readSidecar(bestHead);
        ComputationGraph restored = caches.headTemplate().clone();
        ParameterTransfer.copyMatchingParams(store.load(bestHead, false), restored);
        best = new Best(scoreAll(restored, caches.trunk()), sidecar.thresholds(), Phase.fromCode(sidecar.phase()),
                sidecar.epoch());
    }
}
