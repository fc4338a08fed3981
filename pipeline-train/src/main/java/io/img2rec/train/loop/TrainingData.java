package io.img2rec.train.loop;

import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.FrozenTrunkCache;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a head is trained and validated on: cached inputs, the truth per image, and which images belong to the
 * training and validation splits. Images are addressed by their index in the run's image list.
 *
 * @param truth            truth[image][output] in {0, 1}
 * @param augmentedCopies  augmented copies per training image in the cache (0: train on the originals)
 */
public record TrainingData(FrozenTrunkCache cache, float[][] truth, List<Integer> trainImages,
                           List<Integer> validationImages, int augmentedCopies) {
    public TrainingData {
        trainImages = trainImages.stream().filter(i -> cache.contains(new CacheItem(i, CacheItem.ORIGINAL))).toList();
        validationImages = validationImages.stream()
                .filter(i -> cache.contains(new CacheItem(i, CacheItem.ORIGINAL))).toList();
        if (trainImages.isEmpty()) {
            throw new IllegalArgumentException("no training images could be loaded; check the dataset and rejected.csv");
        }
        if (validationImages.isEmpty()) {
            throw new IllegalArgumentException("no validation images could be loaded; check data.split and rejected.csv");
        }
    }

    public int outputs() {
        return truth[0].length;
    }

    /** Truth rows of the given images, in order. */
    public float[][] truthOf(List<Integer> images) {
        float[][] rows = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            rows[i] = truth[images.get(i)];
        }
        return rows;
    }

    /**
     * The epoch's training items in the epoch's order: each image once, as one of its augmented copies drawn from
     * the bank (or as itself when there is no bank), shuffled — all from {@code random}.
     */
    public List<CacheItem> epochItems(SplittableRandom random) {
        List<CacheItem> items = new ArrayList<>(trainImages.size());
        for (int image : trainImages) {
            CacheItem item = new CacheItem(image, CacheItem.ORIGINAL);
            if (augmentedCopies > 0) {
                CacheItem copy = new CacheItem(image, random.nextInt(augmentedCopies));
                item = cache.contains(copy) ? copy : item;
            }
            items.add(item);
        }
        for (int i = items.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            CacheItem swap = items.get(i);
            items.set(i, items.get(j));
            items.set(j, swap);
        }
        return items;
    }
}
