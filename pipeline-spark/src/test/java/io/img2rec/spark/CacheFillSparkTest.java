package io.img2rec.spark;

import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.dataset.DatasetScan;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.sample.SampleDatasetGenerator;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.train.CacheFill;
import io.img2rec.train.api.TrainedRun;
import io.img2rec.train.api.Training;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.CachePlan;
import io.img2rec.train.cache.CacheShardFolder;
import io.img2rec.train.cache.CacheShards;
import io.img2rec.train.cache.FrozenTrunkCache;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frozen-layer cache filled on Spark (local[2]) against the trainer's own, and the models trained from it. */
class CacheFillSparkTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkFixtures.session();
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorTrunks.closeAll();
    }

    private PipelineConfig config(Path data, Map<String, String> more) throws Exception {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "model.architecture", "tiny_cnn", "model.weights", "random", "labels", "hat,eyewear",
                "data.root", data.toString(), "runs_dir", dir.resolve("runs").toString(), "train.epochs", "2",
                "augment.copies", "2", "train.batch_size", "8", "cache.ram_budget_mb", "64",
                "train.checkpoint_interval_seconds", "0"));
        overrides.putAll(more);
        return ConfigLoader.parse("name: tiny\n", "tiny.yaml", overrides);
    }

    private int fill(Path configFile, Path data, Path manifest, Path shards, ByteArrayOutputStream err) {
        var out = new ByteArrayOutputStream();
        return SparkCacheFillMain.run(new String[] {"--config", configFile.toString(), "--dataset", data.toString(),
                        "--manifest", manifest.toString(), "--output", shards.toString(), "--batches-per-task", "2"},
                spark, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The trainer's own fill of every batch in one go (as its run computes the cache), written as one shard. */
    private static Path localFill(PipelineConfig config, Manifest manifest, Path data, Path folder) throws Exception {
        try (CacheFill fill = CacheFill.open(config, WeightsLocations.fromSystemProperties())) {
            CachePlan plan = fill.plan(manifest.entries());
            try (CacheFill.Shard shard = fill.fill(plan, 0, plan.batchCount(),
                    i -> data.resolve(manifest.entries().get(i).path()))) {
                shard.writeInto(folder);
            }
        }
        return folder;
    }

    /** Both folders hold the same rows, bit for bit, and the same failures. */
    private void assertSameCache(PipelineConfig config, Manifest manifest, Path expected, Path actual) throws Exception {
        try (CacheFill fill = CacheFill.open(config, WeightsLocations.fromSystemProperties())) {
            CachePlan plan = fill.plan(manifest.entries());
            var fingerprint = fill.fingerprint(plan);
            try (FrozenTrunkCache a = FrozenTrunkCache.fromShards(CacheShardFolder.open(expected)
                    .verify(fingerprint, plan), 1 << 20, dir.resolve("spill-a"));
                 FrozenTrunkCache b = FrozenTrunkCache.fromShards(CacheShardFolder.open(actual)
                         .verify(fingerprint, plan), 1 << 20, dir.resolve("spill-b"))) {
                assertEquals(a.failures(), b.failures());
                assertEquals(a.size(), b.size());
                for (CacheItem item : plan.items()) {
                    assertEquals(a.contains(item), b.contains(item), item::toString);
                    for (int v = 0; a.contains(item) && v < a.boundary().size(); v++) {
                        int length = (int) Arrays.stream(a.shapes().get(v)).reduce(1, (x, y) -> x * y);
                        float[] left = new float[length];
                        float[] right = new float[length];
                        a.row(item, v, left);
                        b.row(item, v, right);
                        assertArrayEquals(left, right, item + " at " + a.boundary().get(v));
                    }
                }
            }
        }
    }

    @Test
    void theSparkFilledCacheIsTheTrainersOwnAndTrainsTheSameModels() throws Exception {
        Path data = dir.resolve("dataset");
        new SampleDatasetGenerator(40, 8).generate(data);
        PipelineConfig config = config(data, Map.of());
        Path configFile = dir.resolve("tiny.yaml");
        Files.writeString(configFile, ConfigWriter.toYaml(config));
        Path scan = Files.createDirectories(dir.resolve("scan"));
        Manifest manifest = DatasetScan.run(config, data, scan, false).scan().manifest();
        Path shards = dir.resolve("shards");
        var err = new ByteArrayOutputStream();

        assertEquals(0, fill(configFile, data, scan.resolve("manifest.csv"), shards, err), err::toString);
        CachePlan plan = CachePlan.of(config, manifest.entries());
        List<String> names;
        try (var files = Files.list(shards)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(plan.ranges(2).stream().map(r -> CacheShards.fileName(r[0], r[1])).toList(), names);
        assertTrue(names.size() >= 3, "several tasks: " + names);
        assertEquals(1, ExecutorTrunks.loads(), "the trunk is built once for the JVM, copied for a concurrent task");
        assertSameCache(config, manifest, localFill(config, manifest, data, dir.resolve("local")), shards);

        TrainedRun local = Training.builder().setConfig(config).optProjectRoot(dir).build().train();
        PipelineConfig reading = config(data, Map.of("cache.shards", shards.toString(),
                "runs_dir", dir.resolve("runs-shards").toString()));
        TrainedRun fromShards = Training.builder().setConfig(reading).optProjectRoot(dir).build().train();
        for (String label : List.of("hat", "eyewear")) {
            String name = RunLayout.checkpointName("tiny_cnn", label, io.img2rec.core.run.CheckpointSlot.BEST);
            ComputationGraph expected = new CheckpointStore(RunLayout.open(local.runFolder()).checkpoints()).load(name, false);
            ComputationGraph actual = new CheckpointStore(RunLayout.open(fromShards.runFolder()).checkpoints())
                    .load(name, false);
            assertEquals(expected.params(), actual.params(), name);
            assertEquals(local.model(label).thresholds(), fromShards.model(label).thresholds());
        }
        assertEquals(Files.readAllLines(RunLayout.open(local.runFolder()).predictions()),
                Files.readAllLines(RunLayout.open(fromShards.runFolder()).predictions()));

        // an image broken after the scan: failures in its shard (original and copies), the job still succeeds;
        // the re-run replaces the shards under the same names
        ManifestEntry broken = manifest.entries().stream().filter(e -> e.split() == Split.TRAIN).findFirst().orElseThrow();
        Files.write(data.resolve(broken.path()), new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 1});
        assertEquals(0, fill(configFile, data, scan.resolve("manifest.csv"), shards, err), err::toString);
        try (var files = Files.list(shards)) {
            assertEquals(names, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Path again = localFill(config, manifest, data, dir.resolve("local-broken"));
        assertSameCache(config, manifest, again, shards);
        int failures = CacheShardFolder.open(shards).headers().stream().mapToInt(h -> h.failures().size()).sum();
        assertEquals(3, failures, "the broken image and its two copies");
        assertEquals(1, ExecutorTrunks.loads(), "a second job reuses the JVM's trunk");
    }

    @Test
    void aManifestThatCannotBeReadIsAnErrorNamingIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("dataset"));
        Path configFile = dir.resolve("tiny.yaml");
        Files.writeString(configFile, ConfigWriter.toYaml(config(data, Map.of())));
        var err = new ByteArrayOutputStream();
        Path missing = dir.resolve("no-such-manifest.csv");
        assertEquals(1, fill(configFile, data, missing, dir.resolve("shards"), err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(missing.toString()), err::toString);
    }
}
