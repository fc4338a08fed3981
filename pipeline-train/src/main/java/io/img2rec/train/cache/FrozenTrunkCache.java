package io.img2rec.train.cache;

import io.img2rec.core.model.ForwardEngine;
import io.img2rec.core.model.InferenceTrunk;
import io.img2rec.core.nativeio.FloatArrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Activations of a frozen trunk at its boundary vertices, computed once per {@link CacheItem} and then served to
 * every label model of the architecture, every epoch. One {@link ActivationStore} per boundary vertex.
 */
public final class FrozenTrunkCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrozenTrunkCache.class);

    private final List<String> boundary;
    private final List<long[]> shapes;
    private final List<ActivationStore> stores;
    private final Map<CacheItem, Integer> rows;
    private final Map<CacheItem, String> failures;
    private final double seconds;

    private FrozenTrunkCache(List<String> boundary, List<long[]> shapes, List<ActivationStore> stores,
                             Map<CacheItem, Integer> rows, Map<CacheItem, String> failures, double seconds) {
        this.boundary = boundary;
        this.shapes = shapes;
        this.stores = stores;
        this.rows = rows;
        this.failures = failures;
        this.seconds = seconds;
    }

    /**
     * Runs {@code trunk} (inference mode) over every item, in batches, and stores its outputs.
     *
     * @param trunk          source inputs → one output per vertex in {@code outputs}
     * @param ramBudgetBytes shared by all stores; rows beyond it spill into {@code spillDir}
     * @param progress       told how many items each batch handled
     */
    public static FrozenTrunkCache build(ComputationGraph trunk, List<String> outputs, BatchSource source,
                                         List<CacheItem> items, int batchSize, long ramBudgetBytes, Path spillDir,
                                         IntConsumer progress) {
        long start = System.nanoTime();
        List<long[]> shapes = new ArrayList<>();
        List<ActivationStore> stores = new ArrayList<>();
        Map<CacheItem, Integer> rows = new HashMap<>();
        Map<CacheItem, String> failures = new LinkedHashMap<>();
        // forward passes in the host's fastest layout; activations come back in the trunk's own (the cache's format)
        try (InferenceTrunk forward = InferenceTrunk.of(trunk, ForwardEngine.Use.TRAINING)) {
            LOG.debug("trunk cache for {}: forward passes {}", outputs, forward.describe());
            for (int from = 0; from < items.size(); from += batchSize) {
                List<CacheItem> batch = items.subList(from, Math.min(items.size(), from + batchSize));
                BatchSource.LoadedBatch loaded = source.load(batch);
                failures.putAll(loaded.failures());
                if (!loaded.loaded().isEmpty()) {
                    INDArray[] activations = forward.output(loaded.inputs());
                    if (activations.length != outputs.size()) {
                        throw new IllegalStateException("trunk gave " + activations.length + " outputs for " + outputs);
                    }
                    if (stores.isEmpty()) {
                        long ramPerStore = ramBudgetBytes / activations.length;
                        for (int b = 0; b < activations.length; b++) {
                            long[] perImage = Arrays.copyOfRange(activations[b].shape(), 1, activations[b].rank());
                            shapes.add(perImage);
                            int length = (int) Arrays.stream(perImage).reduce(1, (p, q) -> p * q);
                            String safeName = outputs.get(b).replaceAll("[^A-Za-z0-9_.-]", "_");
                            stores.add(new ActivationStore(length, ramPerStore,
                                    spillDir.resolve("cache-" + System.identityHashCode(stores) + "-" + b + "-" + safeName + ".f32")));
                        }
                    }
                    for (int b = 0; b < activations.length; b++) {
                        float[] values = activations[b].castTo(DataType.FLOAT).dup('c').data().asFloat();
                        int length = stores.get(b).rowLength();
                        for (int i = 0; i < loaded.loaded().size(); i++) {
                            int row = stores.get(b).append(values, i * length);
                            if (b == 0) {
                                rows.put(loaded.loaded().get(i), row);
                            }
                        }
                    }
                    for (INDArray input : loaded.inputs()) {
                        input.close();
                    }
                }
                progress.accept(batch.size());
            }
        } catch (RuntimeException | Error e) { // cancelled from progress, or a failed batch: free what was filled
            stores.forEach(ActivationStore::close);
            throw e;
        }
        failures.forEach((item, reason) -> LOG.warn("left out of the cache: image {} copy {}: {}", item.image(),
                item.copy(), reason));
        return new FrozenTrunkCache(List.copyOf(outputs), shapes, stores, rows, failures,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The cache a folder of shards holds (checked with {@link CacheShardFolder#verify} first): every shard's rows
     * read into stores with the same RAM budget and spill as {@link #build}, each file's checksum verified; the
     * failures the fill recorded kept with their reasons.
     *
     * @throws CacheShardException a shard is corrupt, truncated or disagrees with the others on the vertex shapes
     */
    public static FrozenTrunkCache fromShards(CacheShardFolder shards, long ramBudgetBytes, Path spillDir)
            throws CacheShardException {
        long start = System.nanoTime();
        List<CacheShards.Vertex> vertices = null;
        for (CacheShards.Header header : shards.headers()) {
            if (!header.items().isEmpty()) {
                if (vertices == null) {
                    vertices = header.vertices();
                } else if (!vertices.equals(header.vertices())) {
                    throw new CacheShardException("the cache shards in " + shards.folder() + " disagree on the "
                            + "activation shapes (" + header.fromBatch() + "..): fill the folder again");
                }
            }
        }
        List<String> boundary = shards.headers().get(0).fingerprint().boundary();
        List<long[]> shapes = new ArrayList<>();
        List<ActivationStore> stores = new ArrayList<>();
        Map<CacheItem, Integer> rows = new HashMap<>();
        Map<CacheItem, String> failures = new LinkedHashMap<>();
        if (vertices != null) {
            for (int b = 0; b < vertices.size(); b++) {
                shapes.add(vertices.get(b).shape());
                String safeName = boundary.get(b).replaceAll("[^A-Za-z0-9_.-]", "_");
                stores.add(new ActivationStore(vertices.get(b).rowLength(), ramBudgetBytes / vertices.size(),
                        spillDir.resolve("cache-" + System.identityHashCode(stores) + "-" + b + "-" + safeName
                                + ".f32")));
            }
        }
        try {
            for (int s = 0; s < shards.files().size(); s++) {
                CacheShards.Header header = shards.headers().get(s);
                int first = stores.isEmpty() ? 0 : stores.get(0).size();
                CacheShards.readRows(shards.files().get(s), (vertex, index, row) -> stores.get(vertex).append(row, 0));
                for (int i = 0; i < header.items().size(); i++) {
                    rows.put(header.items().get(i).item(), first + i);
                }
                header.failures().forEach(f -> failures.put(f.item(), f.reason()));
            }
        } catch (CacheShardException | RuntimeException | Error e) {
            stores.forEach(ActivationStore::close);
            throw e;
        }
        return new FrozenTrunkCache(List.copyOf(boundary), shapes, stores, rows, failures,
                (System.nanoTime() - start) / 1e9);
    }

    /** The shape of one item's activations per boundary vertex (empty when no item could be cached). */
    public List<long[]> shapes() {
        return shapes.stream().map(long[]::clone).toList();
    }

    /** Copies {@code item}'s activations at boundary vertex {@code vertex} into {@code target} (C order). */
    public void row(CacheItem item, int vertex, float[] target) {
        Integer row = rows.get(item);
        if (row == null) {
            throw new IllegalArgumentException("not in the cache: " + item);
        }
        stores.get(vertex).read(row, target, 0);
    }

    /** This cache as the source of another stage (e.g. phase-1 features computed from the phase-2 boundary). */
    public BatchSource asSource() {
        return items -> {
            List<CacheItem> present = items.stream().filter(this::contains).toList();
            Map<CacheItem, String> missing = new LinkedHashMap<>();
            items.stream().filter(i -> !contains(i)).forEach(i -> missing.put(i,
                    failures.getOrDefault(i, "not in the upstream cache")));
            return new BatchSource.LoadedBatch(present, present.isEmpty() ? new INDArray[0] : batch(present), missing);
        };
    }

    public boolean contains(CacheItem item) {
        return rows.containsKey(item);
    }

    public Map<CacheItem, String> failures() {
        return Map.copyOf(failures);
    }

    public List<String> boundary() {
        return boundary;
    }

    public int size() {
        return rows.size();
    }

    public double buildSeconds() {
        return seconds;
    }

    public long spilledRows() {
        return stores.stream().mapToLong(ActivationStore::spilledRows).sum();
    }

    /** The cached activations of {@code items} as one batch array per boundary vertex (head-graph inputs). */
    public INDArray[] batch(List<CacheItem> items) {
        INDArray[] out = new INDArray[stores.size()];
        for (int b = 0; b < stores.size(); b++) {
            ActivationStore store = stores.get(b);
            float[] values = new float[items.size() * store.rowLength()];
            for (int i = 0; i < items.size(); i++) {
                Integer row = rows.get(items.get(i));
                if (row == null) {
                    throw new IllegalArgumentException("not in the cache: " + items.get(i));
                }
                store.read(row, values, i * store.rowLength());
            }
            long[] shape = new long[shapes.get(b).length + 1];
            shape[0] = items.size();
            System.arraycopy(shapes.get(b), 0, shape, 1, shapes.get(b).length);
            out[b] = FloatArrays.of(values, shape);
        }
        return out;
    }

    @Override
    public void close() {
        stores.forEach(ActivationStore::close);
    }
}
