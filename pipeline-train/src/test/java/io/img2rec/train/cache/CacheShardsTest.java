package io.img2rec.train.cache;

import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.model.TopSpec;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.core.io.AtomicFiles;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheShardsTest {
    private static final int SIZE = 32;
    private static final int PER_IMAGE = SIZE * SIZE * 3;
    private static final int IMAGES = 6;

    @TempDir
    Path dir;

    /** Six random images, image 2 unreadable; 2 copies each (the copies are the image itself, enough here). */
    private static BatchSource source(float[] pixels) {
        return items -> {
            List<CacheItem> loaded = new ArrayList<>();
            Map<CacheItem, String> failures = new LinkedHashMap<>();
            for (CacheItem item : items) {
                if (item.image() == 2) {
                    failures.put(item, "image 2: not a JPEG");
                } else {
                    loaded.add(item);
                }
            }
            float[] out = new float[loaded.size() * PER_IMAGE];
            for (int i = 0; i < loaded.size(); i++) {
                System.arraycopy(pixels, loaded.get(i).image() * PER_IMAGE, out, i * PER_IMAGE, PER_IMAGE);
            }
            INDArray[] inputs = loaded.isEmpty() ? new INDArray[0]
                    : new INDArray[] {Nd4j.create(out, new long[] {loaded.size(), SIZE, SIZE, 3}, 'c')};
            return new BatchSource.LoadedBatch(loaded, inputs, failures);
        };
    }

    private static CachePlan plan() {
        List<CacheItem> items = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            hashes.add(String.format("%064x", i + 1));
            items.add(new CacheItem(i, CacheItem.ORIGINAL));
            items.add(new CacheItem(i, 0));
            items.add(new CacheItem(i, 1));
        }
        return new CachePlan(items, hashes, 2, 4);
    }

    private static CacheFingerprint fingerprint(CachePlan plan, String batchSize) {
        return new CacheFingerprint(Map.of("train.batch_size", batchSize, "seed", "42"), plan.copies(), plan.images(),
                plan.items().size(), plan.digest(), List.of("b"), "ab".repeat(32));
    }

    /** Writes the shard of batches [1, 4) of the plan, returns it and the cache it came from. */
    private Path writeShard(FrozenTrunkCache[] filled) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        float[] pixels = new float[IMAGES * PER_IMAGE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        ComputationGraph full = new ComputationGraph(new TinyCnnArchitecture().configuration(
                new ArchitectureOptions(SIZE, CNN2DFormat.NHWC, 9), TopSpec.sigmoid(TopSpec.Pooling.FLATTEN, 8, 0.5, 1)));
        full.init();
        FreezePlan freeze = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(3);
        CachePlan plan = plan();
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, freeze)) {
            FrozenTrunkCache cache = FrozenTrunkCache.build(split.trunk(), split.boundary(), source(pixels),
                    plan.items(1, 4), plan.batchSize(), 1 << 20, dir.resolve("spill"), n -> { });
            filled[0] = cache;
            CacheShards.Header header = CacheShards.headerOf(fingerprint(plan, "4"), plan, 1, 4, cache,
                    Map.of("weights", "random (test)"));
            Path file = dir.resolve(CacheShards.fileName(1, 4));
            AtomicFiles.write(file, out -> CacheShards.write(out, header, cache));
            return file;
        } finally {
            full.close();
        }
    }

    @Test
    void aShardReadsBackToTheSameRowsFailuresAndHeader() throws Exception {
        FrozenTrunkCache[] filled = new FrozenTrunkCache[1];
        Path file = writeShard(filled);
        try (FrozenTrunkCache cache = filled[0]) {
            assertEquals("shard-000001-000004.i2rcache", file.getFileName().toString());
            assertArrayEquals(new int[] {1, 4}, CacheShards.batchRange(file.getFileName().toString()));
            CacheShards.Header header = CacheShards.readHeader(file);
            assertEquals(1, header.fromBatch());
            assertEquals(4, header.toBatch());
            assertEquals(plan().items(1, 4).size(), header.items().size() + header.failures().size());
            assertEquals(List.of(new CacheShards.Failure(2, -1, String.format("%064x", 3), "image 2: not a JPEG"),
                    new CacheShards.Failure(2, 0, String.format("%064x", 3), "image 2: not a JPEG"),
                    new CacheShards.Failure(2, 1, String.format("%064x", 3), "image 2: not a JPEG")), header.failures());
            assertEquals("random (test)", header.provenance().get("weights"));
            List<float[]> rows = new ArrayList<>();
            CacheShards.Header read = CacheShards.readRows(file, (vertex, index, row) -> rows.add(row.clone()));
            assertEquals(header, read);
            assertEquals(header.items().size() * header.vertices().size(), rows.size());
            int r = 0;
            for (int v = 0; v < header.vertices().size(); v++) {
                for (CacheShards.Item item : header.items()) {
                    float[] expected = new float[header.vertices().get(v).rowLength()];
                    cache.row(item.item(), v, expected);
                    assertArrayEquals(expected, rows.get(r++), item + " vertex " + v);
                }
            }
        }
    }

    @Test
    void aCorruptTruncatedOrForeignShardIsAnErrorNamingTheFile() throws Exception {
        FrozenTrunkCache[] filled = new FrozenTrunkCache[1];
        Path file = writeShard(filled);
        filled[0].close();
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length - 40] ^= 1; // a bit of the last row
        Files.write(file, flipped);
        var corrupt = assertThrows(CacheShardException.class, () -> CacheShards.readRows(file, (v, i, row) -> { }));
        assertEquals("cache shard " + file + " is corrupt: its SHA-256 checksum does not match its content (fill it "
                + "again)", corrupt.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
        var truncated = assertThrows(CacheShardException.class, () -> CacheShards.readHeader(file));
        assertTrue(truncated.getMessage().startsWith("cache shard " + file + " is truncated: " + (good.length - 100)
                + " bytes, its header implies " + good.length), truncated.getMessage());
        Files.write(file, java.util.Arrays.copyOf(good, 30));
        assertTrue(assertThrows(CacheShardException.class, () -> CacheShards.readHeader(file)).getMessage()
                .contains("truncated"));

        byte[] otherVersion = good.clone();
        ByteBuffer.wrap(otherVersion, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(CacheShards.FORMAT_VERSION + 1);
        Files.write(file, otherVersion);
        assertEquals("cache shard " + file + " has format version 2; this img2rec reads version 1 (fill the shards "
                        + "again with this version)",
                assertThrows(CacheShardException.class, () -> CacheShards.readHeader(file)).getMessage());

        Files.writeString(file, "manifest,not,a,shard\n");
        assertTrue(assertThrows(CacheShardException.class, () -> CacheShards.readHeader(file)).getMessage()
                .contains("is not an img2rec cache shard"));
        assertEquals("cache shard " + dir.resolve("none") + " does not exist",
                assertThrows(CacheShardException.class, () -> CacheShards.readHeader(dir.resolve("none"))).getMessage());
    }

    @Test
    void aFolderIsCheckedAgainstTheRunsFingerprintAndPlanBeforeAnyRowIsRead() throws Exception {
        FrozenTrunkCache[] filled = new FrozenTrunkCache[1];
        writeShard(filled);
        filled[0].close();
        CachePlan plan = plan();
        CacheShardFolder folder = CacheShardFolder.open(dir);
        var mismatch = assertThrows(CacheShardException.class, () -> folder.verify(fingerprint(plan, "8"), plan));
        assertTrue(mismatch.getMessage().contains("train.batch_size: 4 in the shards, 8 in this config"),
                mismatch.getMessage());
        var missing = assertThrows(CacheShardException.class, () -> folder.verify(fingerprint(plan, "4"), plan));
        assertTrue(missing.getMessage().contains("batches [0, 1) are missing"), missing.getMessage());
        var none = assertThrows(CacheShardException.class, () -> CacheShardFolder.open(dir.resolve("nowhere")));
        assertTrue(none.getMessage().contains("(cache.shards) does not exist"), none.getMessage());
    }
}
