package io.img2rec.train.cache;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.nativeio.FloatArrays;
import io.img2rec.train.augment.KerasAugmenter;
import io.img2rec.train.loop.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    private final ImageFiles files;
    private final int images;
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
        this(indexed(files, contentHashes.size()), contentHashes, encoder, augmenter, seed);
    }

    /**
     * @param files         the file of an image index, asked for when a batch needs it (e.g. fetched from a
     *                      remote file system); an {@link java.io.IOException} is that image's failure
     * @param contentHashes SHA-256 per image index (seeds the augmentation)
     */
    public ImageInputs(ImageFiles files, List<String> contentHashes, InputEncoder encoder, KerasAugmenter augmenter,
                       long seed) {
        this.files = java.util.Objects.requireNonNull(files, "files");
        this.images = contentHashes.size();
        this.contentHashes = List.copyOf(contentHashes);
        this.encoder = encoder;
        this.augmenter = augmenter;
        this.seed = seed;
    }

    /** Where an image's file is, by image index. */
    @FunctionalInterface
    public interface ImageFiles {
        Path file(int image) throws java.io.IOException;
    }

    /**
     * The inputs a run's config implies for its cache plan: its input size, resize and pre-processing, the
     * augmentation (when the plan has copies) and its seed. The one place the trainer and the Spark fill build them.
     */
    public static ImageInputs forPlan(io.img2rec.core.config.PipelineConfig config, CachePlan plan,
                                      ImageFiles files) {
        return new ImageInputs(files, plan.sha256(), InputEncoder.of(config.model()),
                plan.copies() > 0 ? new KerasAugmenter(config.augment()) : null, config.seed());
    }

    private static ImageFiles indexed(List<Path> files, int images) {
        if (files.size() != images) {
            throw new IllegalArgumentException(files.size() + " files but " + images + " hashes");
        }
        List<Path> copy = List.copyOf(files);
        return copy::get;
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
                    if (item.image() >= images) {
                        throw new IndexOutOfBoundsException("image " + item.image() + " of " + images);
                    }
                    sized = encoder.resized(ImageDecoder.decode(files.file(item.image())));
                    lastFailure = null;
                } catch (IndexOutOfBoundsException e) {
                    throw e;
                } catch (ImageDecodeException | java.io.IOException | RuntimeException e) {
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
        INDArray batch = loaded.isEmpty() ? null : FloatArrays.of(packed, encoder.batchShape(loaded.size()));
        return new LoadedBatch(loaded, batch == null ? new INDArray[0] : new INDArray[] {batch}, failures);
    }
}
