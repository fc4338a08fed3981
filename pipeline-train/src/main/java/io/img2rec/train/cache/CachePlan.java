package io.img2rec.train.cache;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.io.Sha256;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.core.manifest.Split;

import java.util.ArrayList;
import java.util.List;

/**
 * Which rows the frozen-trunk cache holds, in which order, and how they are cut into batches: every image as it is,
 * each training image followed by its {@code copies} augmented copies, in manifest order, cut into consecutive
 * batches of {@code batchSize} items. The one owner of this plan: the trainer's own fill and the Spark fill use it,
 * so a batch is the same items whoever computes it, and its forward pass sees the same inputs.
 *
 * @param items     every item, in plan order
 * @param sha256    the content hash of each image, by image index (manifest order)
 * @param copies    augmented copies per training image (0: none)
 * @param batchSize items per forward pass (the last batch may be smaller)
 */
public record CachePlan(List<CacheItem> items, List<String> sha256, int copies, int batchSize)
        implements java.io.Serializable {
    public CachePlan {
        items = List.copyOf(items);
        sha256 = List.copyOf(sha256);
        if (copies < 0 || batchSize < 1) {
            throw new IllegalArgumentException("copies must be >= 0 and batchSize >= 1, got " + copies + " and "
                    + batchSize);
        }
    }

    /** The plan for a run's images: its config's copies ({@link #copiesFor}) and {@code train.batch_size}. */
    public static CachePlan of(PipelineConfig config, List<ManifestEntry> entries) {
        return of(entries, copiesFor(config), config.train().batchSize());
    }

    public static CachePlan of(List<ManifestEntry> entries, int copies, int batchSize) {
        List<CacheItem> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            items.add(new CacheItem(i, CacheItem.ORIGINAL));
            if (copies > 0 && entries.get(i).split() == Split.TRAIN) {
                for (int k = 0; k < copies; k++) {
                    items.add(new CacheItem(i, k));
                }
            }
        }
        return new CachePlan(items, entries.stream().map(ManifestEntry::sha256).toList(), copies, batchSize);
    }

    /**
     * Augmented copies per training image a config asks for: {@code augment.copies} when augmentation is on and
     * phase 2 has epochs (only phase 2 trains on copies), else none.
     */
    public static int copiesFor(PipelineConfig config) {
        return config.augment().enabled() && config.train().fineTune().epochs() > 0 ? config.augment().copies() : 0;
    }

    public int images() {
        return sha256.size();
    }

    /** The originals (one per image), in manifest order. */
    public List<CacheItem> originals() {
        return items.stream().filter(i -> !i.augmented()).toList();
    }

    public int batchCount() {
        return (items.size() + batchSize - 1) / batchSize;
    }

    /** The items of batches {@code [fromBatch, toBatch)}: whole batches, in plan order. */
    public List<CacheItem> items(int fromBatch, int toBatch) {
        if (fromBatch < 0 || toBatch > batchCount() || fromBatch > toBatch) {
            throw new IndexOutOfBoundsException("batches [" + fromBatch + ", " + toBatch + ") of " + batchCount());
        }
        return items.subList(fromBatch * batchSize, Math.min(items.size(), toBatch * batchSize));
    }

    /**
     * Consecutive batch ranges {@code [from, to)} of at most {@code batchesPerRange} batches covering the plan
     * (how a distributed fill cuts its work; each range is whole batches).
     */
    public List<int[]> ranges(int batchesPerRange) {
        if (batchesPerRange < 1) {
            throw new IllegalArgumentException("batchesPerRange must be >= 1, got " + batchesPerRange);
        }
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < batchCount(); from += batchesPerRange) {
            out.add(new int[] {from, Math.min(batchCount(), from + batchesPerRange)});
        }
        return out;
    }

    /** SHA-256 of the plan: every item's image hash and copy number in order, and the batch size. */
    public String digest() {
        StringBuilder text = new StringBuilder("batch_size=").append(batchSize).append('\n');
        for (CacheItem item : items) {
            text.append(item.image()).append(' ').append(sha256.get(item.image())).append(' ').append(item.copy())
                    .append('\n');
        }
        return Sha256.of(text.toString());
    }
}
