package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.train.api.Phase;
import io.img2rec.train.api.Stage;
import io.img2rec.train.cache.CachePlan;
import io.img2rec.train.cache.CacheShardException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains every model of one architecture from one shared frozen-trunk cache ({@link TrunkCaches}): the trunk
 * (everything below the last N layers) runs once per image and once per augmented copy; then each model runs its
 * two phases ({@link ModelTraining}). Checkpoints go to the run's {@code checkpoints/}.
 */
public final class ArchitectureTraining {
    private static final Logger LOG = LoggerFactory.getLogger(ArchitectureTraining.class);

    private final RunContext context;
    private final Manifest manifest;
    private final Path datasetRoot;
    private final Path cacheShards;

    /** @param cacheShards a folder of cache shards to read the trunk cache from (filled on Spark); null: compute it */
    ArchitectureTraining(RunContext context, Manifest manifest, Path datasetRoot, Path cacheShards) {
        this.context = context;
        this.manifest = manifest;
        this.datasetRoot = datasetRoot;
        this.cacheShards = cacheShards;
    }

    /**
     * What one model's training produced.
     *
     * @param bestScores     scores of the best checkpoint for every image that could be loaded: [image][output]
     *                       (null rows for images that could not); null when the model has no best
     * @param thresholds     the best epoch's max-F1 threshold per label
     * @param bestPhase      the best epoch's phase; null when there is none
     * @param bestMetrics    the best epoch's validation metrics as its sidecar names them
     * @param bestCheckpoint the servable best's sidecar; null when there is none
     */
    public record ModelOutcome(ModelSpec spec, double[][] bestScores, Map<String, Double> thresholds,
                               Phase bestPhase, int bestEpoch, double bestScore, Map<String, Double> bestMetrics,
                               Path bestCheckpoint, Duration topTime, Duration fineTuneTime) {
    }

    /** What the architecture's training produced and how fast it went. */
    public record Outcome(List<ModelOutcome> models, Map<Stage, Duration> durations, Map<Stage, Double> rates,
                          Map<Integer, String> failedImages) {
        public Outcome {
            models = List.copyOf(models);
            durations = Collections.unmodifiableMap(new EnumMap<>(durations));
            rates = Collections.unmodifiableMap(new EnumMap<>(rates));
        }

        /** Seconds per stage, keyed by {@link Stage#code()} (as {@code run-summary.json} writes them). */
        public Map<String, Double> seconds() {
            Map<String, Double> out = new LinkedHashMap<>();
            durations.forEach((stage, d) -> out.put(stage.code(), d.toNanos() / 1e9));
            return out;
        }

        /** Images per second per stage, keyed by {@link Stage#code()}. */
        public Map<String, Double> imagesPerSecond() {
            Map<String, Double> out = new LinkedHashMap<>();
            rates.forEach((stage, r) -> out.put(stage.code(), r));
            return out;
        }
    }

    /**
     * @param full an initialised network (base with its starting weights + top); its base is never changed, it
     *             serves as the template every best checkpoint is written from
     */
    public Outcome run(ComputationGraph full, List<ModelSpec> specs) throws CheckpointException, CacheShardException {
        PipelineConfig config = context.config();
        String arch = config.model().architecture().configName();
        List<ManifestEntry> entries = manifest.entries();
        int fineTuneEpochs = config.train().fineTune().epochs();
        CachePlan cachePlan = CachePlan.of(config, entries);
        ImageSplits images = ImageSplits.of(entries, config.labels(), cachePlan.copies());

        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(config.model().unfrozenLayers());
        LOG.info("{}: last {} layers trainable: {}; frozen-layer cache at {}", arch, config.model().unfrozenLayers(),
                plan.trainable(), plan.boundary());
        try (TrunkCaches caches = TrunkCaches.build(config, full, plan, entries, datasetRoot, cachePlan, cacheShards,
                context.run().cache(), context.hooks())) {
            List<ModelOutcome> outcomes = new ArrayList<>();
            Duration top = Duration.ZERO;
            Duration fineTune = Duration.ZERO;
            for (ModelSpec spec : specs) {
                ModelOutcome outcome = new ModelTraining(context, caches, full, images, spec).run();
                outcomes.add(outcome);
                top = top.plus(outcome.topTime());
                fineTune = fineTune.plus(outcome.fineTuneTime());
            }
            Map<Stage, Duration> durations = new EnumMap<>(caches.durations());
            durations.put(Stage.TOP, top);
            durations.put(Stage.FINE_TUNE, fineTune);
            Map<Stage, Double> rates = new EnumMap<>(Stage.class);
            rates.put(Stage.CACHE, caches.cacheImagesPerSecond());
            long trainImages = images.train().size();
            rates.put(Stage.TOP, rate(trainImages * config.train().top().epochs() * specs.size(), top));
            rates.put(Stage.FINE_TUNE, rate(trainImages * fineTuneEpochs * specs.size(), fineTune));
            return new Outcome(outcomes, durations, rates, caches.failedImages());
        }
    }

    private static double rate(long images, Duration time) {
        double seconds = time.toNanos() / 1e9;
        return seconds > 0 ? images / seconds : 0;
    }
}
