package io.img2rec.spark;

import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.api.RecommenderOptions.FaceMode;
import io.img2rec.serve.registry.ModelLoadException;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an executor needs to build the {@link Recommender}: the model folders (paths every executor can read: shared
 * storage, or a folder shipped with the job, e.g. {@code spark-submit --archives models.zip#models} and the relative
 * path {@code models/<run>}) and the options that change results. Serializable, shipped with each task; its equality
 * is the key of the per-JVM {@link ExecutorRecommenders}.
 *
 * @param modelFolders    run folders or folders of checkpoints, as {@code Recommender.builder().runs(...)} takes them
 * @param faces           what is scored
 * @param batchSize       most crops scored together (an image's crops stay together)
 * @param maxPixels       images whose header claims more pixels are refused before decoding
 * @param fixedThreshold  one threshold for every label instead of the tuned ones (null: tuned)
 */
public record RecommenderSpec(List<String> modelFolders, FaceMode faces, int batchSize, long maxPixels,
                              Double fixedThreshold) implements Serializable {
    private static final long serialVersionUID = 1L;

    public RecommenderSpec {
        modelFolders = List.copyOf(modelFolders);
        Objects.requireNonNull(faces, "faces");
        if (modelFolders.isEmpty()) {
            throw new IllegalArgumentException("RecommenderSpec: give at least one model folder");
        }
        options(faces, batchSize, maxPixels, fixedThreshold); // validates
    }

    /** The serving defaults for these folders (faces only, batches of 16, tuned thresholds). */
    public static RecommenderSpec of(List<String> modelFolders) {
        RecommenderOptions d = RecommenderOptions.DEFAULTS;
        return new RecommenderSpec(modelFolders, d.faces(), d.batchSize(), d.maxPixels(), null);
    }

    public RecommenderSpec withFaces(FaceMode mode) {
        return new RecommenderSpec(modelFolders, mode, batchSize, maxPixels, fixedThreshold);
    }

    public RecommenderSpec withBatchSize(int value) {
        return new RecommenderSpec(modelFolders, faces, value, maxPixels, fixedThreshold);
    }

    public RecommenderSpec withFixedThreshold(Double value) {
        return new RecommenderSpec(modelFolders, faces, batchSize, maxPixels, value);
    }

    /** The serving options these settings stand for. */
    public RecommenderOptions options() {
        return options(faces, batchSize, maxPixels, fixedThreshold);
    }

    private static RecommenderOptions options(FaceMode faces, int batchSize, long maxPixels, Double fixedThreshold) {
        // no cross-request batching window: a batch job hands each profile's images over in one call, and
        // recommendImages batches their crops itself
        RecommenderOptions o = RecommenderOptions.DEFAULTS.withFaces(faces).withBatchSize(batchSize)
                .withMaxPixels(maxPixels).withBatchWindow(Duration.ZERO);
        return fixedThreshold == null ? o : o.withFixedThreshold(fixedThreshold);
    }

    /** Loads the models and builds the Recommender (what {@link ExecutorRecommenders} does once per JVM). */
    public Recommender load() throws ModelLoadException {
        return Recommender.builder()
                .runs(modelFolders.stream().map(Path::of).toList())
                .options(options())
                .build();
    }
}
