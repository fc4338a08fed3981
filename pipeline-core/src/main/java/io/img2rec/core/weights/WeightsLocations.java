package io.img2rec.core.weights;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where pretrained weights are looked for.
 *
 * @param dl4jResourcesRoot DL4J's resources directory; the zoo caches its zips in {@code <root>/models/<model>/}
 * @param kerasModelsDir    the folder holding Keras' {@code *_notop.h5} files (Keras' own cache is
 *                          {@code ~/.keras/models})
 */
public record WeightsLocations(Path dl4jResourcesRoot, Path kerasModelsDir) {

    /** DL4J's own override of its resources directory (read by {@code DL4JResources}). */
    public static final String DL4J_RESOURCES_PROPERTY = "org.deeplearning4j.resources.directory";
    /** Our override of the Keras models folder. */
    public static final String KERAS_MODELS_PROPERTY = "img2rec.keras.models";

    public WeightsLocations {
        Objects.requireNonNull(dl4jResourcesRoot, "dl4jResourcesRoot");
        Objects.requireNonNull(kerasModelsDir, "kerasModelsDir");
    }

    /**
     * The locations DL4J and Keras use: {@code -Dorg.deeplearning4j.resources.directory} or
     * {@code ~/.deeplearning4j} (DL4J's rule), and {@code -Dimg2rec.keras.models} or {@code ~/.keras/models}.
     * Call at a program's entry point and pass the result in.
     */
    public static WeightsLocations fromSystemProperties() {
        Path home = Path.of(System.getProperty("user.home"));
        String dl4j = System.getProperty(DL4J_RESOURCES_PROPERTY);
        String keras = System.getProperty(KERAS_MODELS_PROPERTY);
        return new WeightsLocations(dl4j != null ? Path.of(dl4j) : home.resolve(".deeplearning4j"),
                keras != null ? Path.of(keras) : home.resolve(".keras").resolve("models"));
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
