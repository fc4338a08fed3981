package io.img2rec.bench;

import io.img2rec.train.cache.BatchSource;
import io.img2rec.train.cache.CacheItem;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

/** Already-encoded images held in one array (batch dimension first): the benchmark's stand-in for decoded files. */
final class InMemoryImages implements BatchSource {
    private final INDArray images;

    InMemoryImages(INDArray images) {
        this.images = images;
    }

    int size() {
        return (int) images.size(0);
    }

    INDArray rows(List<Integer> indices) {
        INDArray[] parts = new INDArray[indices.size()];
        for (int i = 0; i < parts.length; i++) {
            int r = indices.get(i);
            parts[i] = images.get(NDArrayIndex.interval(r, r + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
        }
        // always a fresh array: the cache closes its inputs after use
        return parts.length == 1 ? parts[0].dup() : Nd4j.concat(0, parts);
    }

    @Override
    public LoadedBatch load(List<CacheItem> items) {
        return new LoadedBatch(items, new INDArray[] {rows(items.stream().map(CacheItem::image).toList())}, Map.of());
    }
}
