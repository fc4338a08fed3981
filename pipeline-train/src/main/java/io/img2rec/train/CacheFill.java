package io.img2rec.train;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.core.provenance.Environment;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.core.weights.WeightsSource;
import io.img2rec.train.cache.CacheFingerprint;
import io.img2rec.train.cache.CachePlan;
import io.img2rec.train.cache.CacheShards;
import io.img2rec.train.cache.FrozenTrunkCache;
import io.img2rec.train.cache.ImageInputs;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Fills frozen-trunk cache shards ({@link CacheShards}) outside a training run, e.g. on Spark executors: the same
 * network, starting weights, trunk split, item plan ({@link CachePlan}) and inputs ({@link ImageInputs#forPlan}) as
 * the training run's own cache, so a shard of whole batches holds exactly the rows the run would compute for them.
 * A run with {@code cache.shards: <folder>} reads them instead of running the trunk.
 *
 * <p>Owns a network (native memory): close it. Not thread-safe (one fill at a time); {@link #copy()} gives
 * another with the same weights for a concurrent task.
 */
public final class CacheFill implements AutoCloseable {
    private final PipelineConfig config;
    private final ComputationGraph full;
    private final TrunkHeadSplit split;
    private final ComputationGraph trunk;
    private final List<String> boundary;
    private final String weights;

    private CacheFill(PipelineConfig config, ComputationGraph full, TrunkHeadSplit split, ComputationGraph trunk,
                      List<String> boundary, String weights) {
        this.config = config;
        this.full = full;
        this.split = split;
        this.trunk = trunk;
        this.boundary = boundary;
        this.weights = weights;
    }

    /** The trunk of {@code config}'s network with its starting weights ({@code model.weights}, as training loads them). */
    public static CacheFill open(PipelineConfig config, WeightsLocations locations) throws Exception {
        return open(config, new BaseWeights(locations));
    }

    /** As {@link #open(PipelineConfig, WeightsLocations)} with another weights step (tests). */
    public static CacheFill open(PipelineConfig config, WeightsStep weights) throws Exception {
        Objects.requireNonNull(config, "config");
        ComputationGraph full = TrainingJob.network(config);
        try {
            full.init();
            WeightsSource source = weights.load(full, config.model());
            FreezePlan plan = GraphTopology.of(full.getConfiguration())
                    .lastLayersTrainable(config.model().unfrozenLayers());
            TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
            return new CacheFill(config, full, split, split.trunk(), split.boundary(), BaseWeights.sentence(source));
        } catch (Exception | Error e) {
            full.close();
            throw e;
        }
    }

    /** Another fill with a copy of this one's trunk (same weights), for a task running at the same time. */
    public CacheFill copy() {
        return new CacheFill(config, null, null, trunk.clone(), boundary, weights);
    }

    public PipelineConfig config() {
        return config;
    }

    /** The run's item plan for these manifest entries (manifest order). */
    public CachePlan plan(List<ManifestEntry> entries) {
        return CachePlan.of(config, entries);
    }

    /** What the shards of {@code plan} are checked against by the run that reads them. */
    public CacheFingerprint fingerprint(CachePlan plan) {
        return CacheFingerprint.of(config, plan, trunk, boundary);
    }

    /**
     * Runs the trunk over batches {@code [fromBatch, toBatch)} of {@code plan} (batch by batch, as the run does)
     * and returns the shard, ready to write. An image that cannot be read or decoded is a failure in the shard,
     * never an exception.
     *
     * @param files the local file of an image index (only those of these batches are asked for)
     */
    public Shard fill(CachePlan plan, int fromBatch, int toBatch, ImageInputs.ImageFiles files) throws IOException {
        List<io.img2rec.train.cache.CacheItem> items = plan.items(fromBatch, toBatch);
        Path spill = Files.createTempDirectory("img2rec-cache-spill-");
        FrozenTrunkCache cache;
        try {
            cache = FrozenTrunkCache.build(trunk, boundary, ImageInputs.forPlan(config, plan, files), items,
                    plan.batchSize(), config.cache().ramBudgetMb() * 1024L * 1024L, spill, n -> { });
        } catch (RuntimeException | Error e) {
            deleteTree(spill);
            throw e;
        }
        Map<String, String> provenance = new LinkedHashMap<>(Environment.versions());
        provenance.put("weights", weights);
        provenance.put("filled_at", Instant.now().toString());
        provenance.put("backend", Environment.backend());
        return new Shard(CacheShards.headerOf(fingerprint(plan), plan, fromBatch, toBatch, cache, provenance), cache,
                spill);
    }

    @Override
    public void close() {
        if (split != null) {
            split.close();
            full.close();
        } else {
            trunk.close();
        }
    }

    /** One filled shard: its header and rows (held by a cache that may spill to a temporary folder). */
    public static final class Shard implements AutoCloseable {
        private final CacheShards.Header header;
        private final FrozenTrunkCache cache;
        private final Path spill;

        private Shard(CacheShards.Header header, FrozenTrunkCache cache, Path spill) {
            this.header = header;
            this.cache = cache;
            this.spill = spill;
        }

        public CacheShards.Header header() {
            return header;
        }

        /** {@link CacheShards#fileName} of its batch range. */
        public String fileName() {
            return CacheShards.fileName(header.fromBatch(), header.toBatch());
        }

        /** Writes the shard file's bytes to {@code out} (not closed). */
        public void writeTo(OutputStream out) throws IOException {
            CacheShards.write(out, header, cache);
        }

        /** Writes it into {@code folder} atomically under {@link #fileName()}, replacing a shard of the same range. */
        public Path writeInto(Path folder) throws IOException {
            Path target = folder.resolve(fileName());
            AtomicFiles.write(target, this::writeTo);
            return target;
        }

        @Override
        public void close() {
            cache.close();
            deleteTree(spill);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary folder " + dir, e);
        }
    }
}
