package io.img2rec.train;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.train.api.Stage;
import io.img2rec.train.cache.CacheFingerprint;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.CachePlan;
import io.img2rec.train.cache.CacheShardFolder;
import io.img2rec.train.cache.CacheShardException;
import io.img2rec.train.cache.FrozenTrunkCache;
import io.img2rec.train.cache.ImageInputs;
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
import java.util.Locale;
import java.util.Map;

/**
 * The cached activations one architecture's models train on, and the graph splits they came from: the frozen
 * trunk's outputs for every image and augmented copy (phase 2 trains on them), and, when layers lie between that
 * boundary and the top, the bottleneck features of the originals computed once from that cache (phase 1 trains
 * on them). Closing it frees the caches and the split graphs.
 */
final class TrunkCaches implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkCaches.class);

    private final TrunkHeadSplit split;
    private final TrunkHeadSplit topSplit;
    private final FrozenTrunkCache trunk;
    private final FrozenTrunkCache features;
    private final Map<Stage, Duration> durations;
    private final double cacheImagesPerSecond;
    private final Map<Integer, String> failedImages;

    private TrunkCaches(TrunkHeadSplit split, TrunkHeadSplit topSplit, FrozenTrunkCache trunk,
                        FrozenTrunkCache features, Map<Stage, Duration> durations, double cacheImagesPerSecond,
                        Map<Integer, String> failedImages) {
        this.split = split;
        this.topSplit = topSplit;
        this.trunk = trunk;
        this.features = features;
        this.durations = durations;
        this.cacheImagesPerSecond = cacheImagesPerSecond;
        this.failedImages = failedImages;
    }

    /**
     * Splits {@code full} at {@code plan}'s boundary and fills the caches: the trunk cache computed here, or read
     * from {@code shards} (filled on Spark) after checking they are the cache this run would compute.
     *
     * @param full      base + top with its starting weights; not changed
     * @param entries   the run's images, in manifest order
     * @param cachePlan the items to cache ({@link CachePlan#of(PipelineConfig, List)} of {@code entries})
     * @param shards    a folder of cache shards to read instead of running the trunk; null: run it
     * @param spillDir  where rows beyond the RAM budget go
     * @throws CacheShardException the shards cannot be read or were filled for another run
     */
    static TrunkCaches build(PipelineConfig config, ComputationGraph full, FreezePlan plan, List<ManifestEntry> entries,
                             Path datasetRoot, CachePlan cachePlan, Path shards, Path spillDir, TrainingHooks hooks)
            throws CacheShardException {
        String arch = config.model().architecture().configName();
        int n = entries.size();
        List<CacheItem> items = cachePlan.items();
        List<CacheItem> originals = cachePlan.originals();
        var inputs = ImageInputs.forPlan(config, cachePlan, i -> datasetRoot.resolve(entries.get(i).path()));
        long budget = config.cache().ramBudgetMb() * 1024L * 1024L;
        int batchSize = cachePlan.batchSize();
        Map<Stage, Duration> durations = new EnumMap<>(Stage.class);

        TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
        FrozenTrunkCache trunk = null;
        FrozenTrunkCache features = null;
        TrunkHeadSplit topSplit = null;
        try {
            double rate;
            hooks.listener().stageStarted(Stage.CACHE, arch);
            try (StageProgress p = StageProgress.start(hooks, Stage.CACHE, arch, arch + " frozen layers", items.size())) {
                if (shards == null) {
                    trunk = FrozenTrunkCache.build(split.trunk(), split.boundary(), inputs, items, batchSize, budget,
                            spillDir, p::step);
                } else {
                    CacheFingerprint expected = CacheFingerprint.of(config, cachePlan, split.trunk(), split.boundary());
                    CacheShardFolder folder = CacheShardFolder.open(shards).verify(expected, cachePlan);
                    LOG.info("{}: reading the frozen-layer cache from {} shards in {} (cache.shards)", arch,
                            folder.files().size(), shards);
                    trunk = FrozenTrunkCache.fromShards(folder, budget, spillDir);
                    p.step(items.size());
                }
                Duration took = p.elapsed();
                durations.put(Stage.CACHE, took);
                rate = items.size() / Math.max(took.toNanos() / 1e9, 1e-9);
                hooks.listener().stageFinished(Stage.CACHE, arch, took);
            }
            LOG.info(String.format(Locale.ROOT, "%s: cached %d activations (%d originals + %d augmented) in %.1f s, "
                            + "%.1f img/s%s", arch, trunk.size(), n, items.size() - n, trunk.buildSeconds(), rate,
                    trunk.spilledRows() > 0 ? ", " + trunk.spilledRows() + " rows spilled to disk" : ""));
            Map<Integer, String> failed = new LinkedHashMap<>();
            trunk.failures().forEach((item, reason) -> {
                if (!item.augmented()) {
                    failed.put(item.image(), reason);
                }
            });

            features = trunk;
            if (!plan.head().containsAll(plan.trainable())) { // layers between the boundary and the top
                FreezePlan topPlan = GraphTopology.of(split.head().getConfiguration()).lastLayersTrainable(1);
                topSplit = TrunkHeadSplit.of(split.head(), topPlan);
                FrozenTrunkCache source = trunk;
                List<CacheItem> cached = originals.stream().filter(source::contains).toList();
                hooks.listener().stageStarted(Stage.FEATURES, arch);
                try (StageProgress p = StageProgress.start(hooks, Stage.FEATURES, arch, arch + " bottleneck features",
                        cached.size())) {
                    features = FrozenTrunkCache.build(topSplit.trunk(), topSplit.boundary(), trunk.asSource(), cached,
                            batchSize, budget, spillDir, p::step);
                    durations.put(Stage.FEATURES, p.elapsed());
                    hooks.listener().stageFinished(Stage.FEATURES, arch, p.elapsed());
                }
            }
            return new TrunkCaches(split, topSplit, trunk, features, durations, rate,
                    Collections.unmodifiableMap(failed));
        } catch (CacheShardException | RuntimeException | Error e) {
            closeAll(split, topSplit, trunk, features);
            throw e;
        }
    }

    /** The graph phase 2 fine-tunes: everything above the frozen trunk, on {@link #trunk()}'s activations. */
    ComputationGraph headTemplate() {
        return split.head();
    }

    /** The graph phase 1 trains: the top alone, on {@link #features()}. */
    ComputationGraph topTemplate() {
        return topSplit != null ? topSplit.head() : split.head();
    }

    /** Activations at the frozen trunk's boundary for every image and augmented copy. */
    FrozenTrunkCache trunk() {
        return trunk;
    }

    /** Phase 1's inputs: bottleneck features of the originals (the trunk cache itself when nothing lies between). */
    FrozenTrunkCache features() {
        return features;
    }

    /** Time spent filling {@link Stage#CACHE} and, when built, {@link Stage#FEATURES}. */
    Map<Stage, Duration> durations() {
        return Collections.unmodifiableMap(durations);
    }

    double cacheImagesPerSecond() {
        return cacheImagesPerSecond;
    }

    /** Images (by manifest index) that could not be loaded, with the reason. */
    Map<Integer, String> failedImages() {
        return failedImages;
    }

    @Override
    public void close() {
        closeAll(split, topSplit, trunk, features);
    }

    private static void closeAll(TrunkHeadSplit split, TrunkHeadSplit topSplit, FrozenTrunkCache trunk,
                                 FrozenTrunkCache features) {
        if (features != null && features != trunk) {
            features.close();
        }
        if (trunk != null) {
            trunk.close();
        }
        if (topSplit != null) {
            topSplit.close();
        }
        split.close();
    }
}
