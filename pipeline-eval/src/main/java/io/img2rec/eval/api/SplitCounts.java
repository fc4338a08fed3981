package io.img2rec.eval.api;

import io.img2rec.core.manifest.Split;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many distinct images each split has in the predictions, overall and per label by class.
 *
 * @param images  distinct image paths per split (every split present, 0 when empty)
 * @param byLabel per label, per split, the class balance
 */
public record SplitCounts(Map<Split, Integer> images, Map<String, Map<Split, ClassBalance>> byLabel) {

    public SplitCounts {
        images = Map.copyOf(new EnumMap<>(images));
        Map<String, Map<Split, ClassBalance>> copy = new LinkedHashMap<>();
        byLabel.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        byLabel = java.util.Collections.unmodifiableMap(copy);
    }

    public int images(Split split) {
        return images.getOrDefault(split, 0);
    }

    public ClassBalance balance(String label, Split split) {
        return byLabel.getOrDefault(label, Map.of()).getOrDefault(split, new ClassBalance(0, 0));
    }
}
