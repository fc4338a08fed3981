package io.img2rec.core.weights;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where pretrained weights are looked for, and whether and how missing ImageNet files are downloaded.
 *
 * @param dl4jResourcesRoot DL4J's resources directory; the zoo caches its zips in {@code <root>/models/<model>/}
 * @param kerasModelsDir    the folder holding Keras' {@code *_notop.h5} files (Keras' own cache is
 *                          {@code ~/.keras/models}); downloads go there
 * @param download          whether and from where a missing Keras file is downloaded, and how files are verified
 */
public record WeightsLocations(Path dl4jResourcesRoot, Path kerasModelsDir, WeightsDownload download) {

    /** DL4J's own override of its resources directory (read by {@code DL4JResources}). */
    public static final String DL4J_RESOURCES_PROPERTY = "org.deeplearning4j.resources.directory";
    /** Our override of the Keras models folder. */
    public static final String KERAS_MODELS_PROPERTY = "img2rec.keras.models";

    public WeightsLocations {
        Objects.requireNonNull(dl4jResourcesRoot, "dl4jResourcesRoot");
        Objects.requireNonNull(kerasModelsDir, "kerasModelsDir");
        Objects.requireNonNull(download, "download");
    }

    /** Locations that are only looked in: nothing is downloaded ({@link WeightsDownload#disabled()}). */
    public WeightsLocations(Path dl4jResourcesRoot, Path kerasModelsDir) {
        this(dl4jResourcesRoot, kerasModelsDir, WeightsDownload.disabled());
    }

    /**
     * The locations DL4J and Keras use: {@code -Dorg.deeplearning4j.resources.directory} or
     * {@code ~/.deeplearning4j} (DL4J's rule), and {@code -Dimg2rec.keras.models} or {@code ~/.keras/models}; the
     * download settings of {@link WeightsDownload#fromSystemProperties()} (on by default, from Keras' server).
     * Call at a program's entry point and pass the result in.
     */
    public static WeightsLocations fromSystemProperties() {
        Path home = Path.of(System.getProperty("user.home"));
        String dl4j = System.getProperty(DL4J_RESOURCES_PROPERTY);
        String keras = System.getProperty(KERAS_MODELS_PROPERTY);
        return new WeightsLocations(dl4j != null ? Path.of(dl4j) : home.resolve(".deeplearning4j"),
                keras != null ? Path.of(keras) : home.resolve(".keras").resolve("models"),
                WeightsDownload.fromSystemProperties());
    }

    /** @return the same folders with other download settings */
    public WeightsLocations withDownload(WeightsDownload settings) {
        return new WeightsLocations(dl4jResourcesRoot, kerasModelsDir, settings);
    }

    /** @return where DL4J's zoo caches {@code fileName} of the zoo model {@code modelName} */
    public Path zooCacheFile(String modelName, String fileName) {
        return dl4jResourcesRoot.resolve("models").resolve(modelName).resolve(fileName);
    }

    /** @return where a Keras weights file of this name is looked for */
    public Path kerasFile(String fileName) {
        return kerasModelsDir.resolve(fileName);
    }
}
