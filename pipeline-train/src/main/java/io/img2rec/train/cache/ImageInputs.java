package io.img2rec.train.cache;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.RgbImage;
import io.img2rec.train.augment.KerasAugmenter;
import io.img2rec.train.loop.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Network inputs for cache items straight from image files: decode, resize to the input size (the configured
 * interpolation), augment copies at that size as Keras's {@code flow_from_directory} did, pre-process. A copy's
 * augmentation is seeded by the run seed, the image's content hash and the copy number, so it does not depend on
 * the order in which items are produced.
 */
public final class ImageInputs implements BatchSource {
    private final List<Path> files;
    private final List<String> contentHashes;
    private final InputEncoder encoder;
    private final KerasAugmenter augmenter;
    private final long seed;

    /**
     * @param files         image file per image index
     * @param contentHashes SHA-256 per image index (seeds the augmentation)
     * @param augmenter     used for items with a copy number; may be null when there are none
     */
    public ImageInputs(List<Path> files, List<String> contentHashes, InputEncoder encoder, KerasAugmenter augmenter,
                       long seed) {
        if (files.size() != contentHashes.size()) {
            throw new IllegalArgumentException(files.size() + " files but " + contentHashes.size() + " hashes");
        }
        this.files = List.copyOf(files);
        this.contentHashes = List.copyOf(contentHashes);
        this.encoder = encoder;
        this.augmenter = augmenter;
        this.seed = seed;
    }

    @Override
    public LoadedBatch load(List<CacheItem> items) {
        int perImage = encoder.valuesPerImage();
        float[] values = new float[items.size() * perImage];
        List<CacheItem> loaded = new ArrayList<>();
        Map<CacheItem, String> failures = new LinkedHashMap<>();
        int lastImage = -1;
        RgbImage sized = null;
        String lastFailure = null;
        for (CacheItem item : items) {
            if (item.image() != lastImage) {
                lastImage = item.image();
                try {
                    sized = encoder.resized(ImageDecoder.decode(files.get(item.image())));
                    lastFailure = null;
                } catch (ImageDecodeException | RuntimeException e) {
                    sized = null;
                    lastFailure = e.getMessage();
                }
            }
            if (sized == null) {
                failures.put(item, lastFailure);
                continue;
            }
            RgbImage input = sized;
            if (item.augmented()) {
                if (augmenter == null) {
                    throw new IllegalStateException("augmented copy asked for but no augmenter configured");
                }
                input = augmenter.augment(sized, Seeds.derive(seed, "augment", contentHashes.get(item.image()), item.copy()));
            }
            encoder.encodeInto(input, values, loaded.size() * perImage);
            loaded.add(item);
        }
        float[] packed = loaded.size() == items.size() ? values : java.util.Arrays.copyOf(values, loaded.size() * perImage);
        INDArray batch = loaded.isEmpty() ? null : Nd4j.create(packed, encoder.batchShape(loaded.size()), 'c');
        return new LoadedBatch(loaded, batch == null ? new INDArray[0] : new INDArray[] {batch}, failures);
    }
}
