package io.img2rec.core.weights;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a network's initial weights came from, for provenance, sidecars and reports.
 *
 * @param kind         the kind of source
 * @param location     the file the weights were read from; empty for random initialisation
 * @param checksum     the file's checksum as {@code algorithm:value} ({@code adler32:…} for the zoo cache, which is
 *                     what DL4J verifies, else {@code sha256:…}); empty for random initialisation
 * @param layersLoaded number of layers whose parameters were loaded from the file
 * @param description  one plain sentence for the console, the run's metadata and the report
 */
public record WeightsSource(Kind kind, String location, String checksum, int layersLoaded, String description) {

    /** Kinds of weight sources; {@link #configName()} is what sidecars store. */
    public enum Kind {
        /** ImageNet weights from DL4J's model zoo cache ({@code ~/.deeplearning4j/models/…}). */
        IMAGENET_DL4J_ZOO,
        /** ImageNet weights from a Keras "notop" h5 file. */
        IMAGENET_KERAS_H5,
        /** A Keras weights h5 named by {@code model.weights: <path>}. */
        FILE_KERAS_H5,
        /** A DL4J ModelSerializer zip named by {@code model.weights: <path>}. */
        FILE_DL4J_ZIP,
        /** {@code model.weights: random}. */
        RANDOM,
        /** ImageNet weights were asked for but not found; {@code weights_fallback: random} kept the random init. */
        RANDOM_FALLBACK;

        /** @return e.g. {@code imagenet-dl4j-zoo}, {@code random-fallback}; how JSON files write the kind */
        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * @param configName a value of {@link #configName()}
         * @throws IllegalArgumentException for any other text, naming the known kinds
         */
        @JsonCreator
        public static Kind fromConfigName(String configName) {
            for (Kind kind : values()) {
                if (kind.configName().equals(configName)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown weights source kind '" + configName + "'; known: "
                    + Arrays.stream(values()).map(Kind::configName).toList());
        }
    }

    public WeightsSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(description, "description");
        if (layersLoaded < 0) {
            throw new IllegalArgumentException("layersLoaded must be >= 0, got " + layersLoaded);
        }
    }

    /** @return true when the weights were read from a file (not random) */
    public boolean pretrained() {
        return kind != Kind.RANDOM && kind != Kind.RANDOM_FALLBACK;
    }

    static WeightsSource random(Kind kind, String description) {
        return new WeightsSource(kind, "", "", 0, description);
    }
}
