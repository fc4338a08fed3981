package io.img2rec.train.cache;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/** Gives network inputs for cache items: decoded images, or activations already cached upstream. */
public interface BatchSource {
    /**
     * The inputs of the items that could be produced, in order, and the reasons for those that could not.
     * Deterministic per item, whatever the order of calls.
     */
    LoadedBatch load(List<CacheItem> items);

    /**
     * @param loaded   the items that made it into {@code inputs}, in row order
     * @param inputs   one array per network input, batch dimension first
     * @param failures reason per item that could not be produced
     */
    record LoadedBatch(List<CacheItem> loaded, INDArray[] inputs, Map<CacheItem, String> failures) {
        public LoadedBatch {
            loaded = List.copyOf(loaded);
            failures = Map.copyOf(failures);
        }
    }
}
