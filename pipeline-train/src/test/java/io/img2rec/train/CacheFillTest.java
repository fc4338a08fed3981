package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.dataset.DatasetScan;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.CachePlan;
import io.img2rec.train.cache.CacheShardException;
import io.img2rec.train.cache.CacheShardFolder;
import io.img2rec.train.cache.FrozenTrunkCache;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheFillTest {
    @TempDir
    Path dir;

    /** Fills the shards of {@code manifest} in ranges of {@code batchesPerShard} batches, as a distributed fill does. */
    static Path fillShards(PipelineConfig config, Manifest manifest, Path datasetRoot, Path folder,
                           int batchesPerShard) throws Exception {
        try (CacheFill fill = CacheFill.open(config, (network, model) -> TinyRuns.RANDOM)) {
            CachePlan plan = fill.plan(manifest.entries());
            for (int[] range : plan.ranges(batchesPerShard)) {
                try (CacheFill.Shard shard = fill.fill(plan, range[0], range[1],
                        i -> datasetRoot.resolve(manifest.entries().get(i).path()))) {
                    shard.writeInto(folder);
                }
            }
        }
        return folder;
    }

    @Test
    void shardsFilledInBatchRangesHoldTheRunsOwnCacheBitForBitFailuresIncluded() throws Exception {
        Path data = TinyRuns.dataset(dir, 40, 3);
        PipelineConfig config = TinyRuns.config(data, dir.resolve("runs"), Map.of("train.batch_size", "8"));
        Manifest manifest = DatasetScan.run(config, data, Files.createDirectories(dir.resolve("scan")), false)
                .scan().manifest();
        List<ManifestEntry> entries = manifest.entries();
        // an image that breaks after the scan: a failure of the cache (its original and its copies), not an error
        ManifestEntry broken = entries.stream().filter(e -> e.split() == Split.TRAIN).findFirst().orElseThrow();
        Files.write(data.resolve(broken.path()), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Path shards = fillShards(config, manifest, data, dir.resolve("shards"), 3);

        CachePlan plan = CachePlan.of(config, entries);
        long train = entries.stream().filter(e -> e.split() == Split.TRAIN).count();
        assertEquals(entries.size() + 2 * train, plan.items().size(), "every original, two copies per training image");
        assertTrue(plan.batchCount() > 3, "several shards");
        try (var files = Files.list(shards)) {
            assertEquals(plan.ranges(3).stream().map(r -> io.img2rec.train.cache.CacheShards.fileName(r[0], r[1]))
                    .toList(), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        ComputationGraph full = TrainingJob.network(config);
        full.init();
        FreezePlan freeze = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(config.model().unfrozenLayers());
        try (TrunkCaches local = TrunkCaches.build(config, full, freeze, entries, data, plan, null,
                dir.resolve("spill"), TrainingHooks.silent());
             CacheFill fill = CacheFill.open(config, (network, model) -> TinyRuns.RANDOM);
             FrozenTrunkCache read = FrozenTrunkCache.fromShards(CacheShardFolder.open(shards)
                     .verify(fill.fingerprint(plan), plan), 1 << 14, dir.resolve("spill2"))) {
            FrozenTrunkCache own = local.trunk();
            assertEquals(own.failures(), read.failures());
            int brokenIndex = entries.indexOf(broken);
            assertEquals(3, read.failures().size(), "the original and its two copies");
            assertTrue(read.failures().keySet().stream().allMatch(i -> i.image() == brokenIndex), read.failures()::toString);
            assertEquals(own.size(), read.size());
            assertTrue(read.spilledRows() > 0, "rows beyond the budget spill as the run's own do");
            for (CacheItem item : plan.items()) {
                assertEquals(own.contains(item), read.contains(item), item::toString);
                if (!own.contains(item)) {
                    continue;
                }
                for (int v = 0; v < own.boundary().size(); v++) {
                    float[] expected = new float[(int) java.util.Arrays.stream(own.shapes().get(v)).reduce(1, (a, b) -> a * b)];
                    float[] actual = new float[expected.length];
                    own.row(item, v, expected);
                    read.row(item, v, actual);
                    assertArrayEquals(expected, actual, item + " at " + own.boundary().get(v));
                }
            }
        } finally {
            full.close();
        }
    }

    @Test
    void aRunTrainedFromShardsEqualsOneThatComputedItsCacheAndRefusesShardsOfAnotherConfig() throws Exception {
        Path data = TinyRuns.dataset(dir, 40, 4);
        Map<String, String> small = Map.of("labels", "hat,eyewear", "train.batch_size", "8");
        PipelineConfig config = TinyRuns.config(data, dir.resolve("runs"), small);
        Manifest manifest = DatasetScan.run(config, data, Files.createDirectories(dir.resolve("scan")), false)
                .scan().manifest();
        Path shards = fillShards(config, manifest, data, dir.resolve("shards"), 2);

        TrainingJob.Result local = TinyRuns.job(config, dir).runNew();
        var fromShards = new java.util.HashMap<>(small);
        fromShards.put("cache.shards", shards.toString());
        PipelineConfig reading = TinyRuns.config(data, dir.resolve("runs-shards"), fromShards);
        assertEquals(io.img2rec.core.config.ConfigWriter.hash(config), io.img2rec.core.config.ConfigWriter.hash(reading),
                "cache.shards is an execution setting");
        TrainingJob.Result shardRun = TinyRuns.job(reading, dir).runNew();
        for (String name : List.of("tiny_cnn-hat-best", "tiny_cnn-eyewear-best", "tiny_cnn-hat-last")) {
            ComputationGraph expected = new CheckpointStore(local.run().checkpoints()).load(name, false);
            ComputationGraph actual = new CheckpointStore(shardRun.run().checkpoints()).load(name, false);
            assertEquals(expected.params(), actual.params(), name);
        }
        assertEquals(Files.readAllLines(local.run().predictions()), Files.readAllLines(shardRun.run().predictions()));

        var other = new java.util.HashMap<>(fromShards);
        other.put("train.batch_size", "4");
        PipelineConfig mismatched = TinyRuns.config(data, dir.resolve("runs-other"), other);
        var e = assertThrows(CacheShardException.class, () -> TinyRuns.job(mismatched, dir).runNew());
        assertTrue(e.getMessage().contains("(cache.shards) were filled for another run")
                && e.getMessage().contains("train.batch_size: 8 in the shards, 4 in this config")
                && e.getMessage().contains(shards.toString()), e.getMessage());

        Files.delete(shards.resolve("shard-000002-000004.i2rcache"));
        var missing = assertThrows(CacheShardException.class, () -> TinyRuns.job(reading, dir).runNew());
        assertTrue(missing.getMessage().contains("batches [2, 4) are missing"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("runs-other")) && hasCheckpoints(dir.resolve("runs-other")));
    }

    private static boolean hasCheckpoints(Path runs) throws java.io.IOException {
        try (var walk = Files.walk(runs)) {
            return walk.anyMatch(p -> p.toString().endsWith(".zip"));
        }
    }
}
