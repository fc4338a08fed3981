package io.img2rec.core.model;

import java.util.Objects;

import org.deeplearning4j.nn.conf.CNN2DFormat;

/**
 * How to instantiate an architecture: square input side, activation layout and the weight-initialisation seed.
 *
 * @param inputSize height = width of the input images in pixels
 * @param format    activation layout; {@link CNN2DFormat#NHWC} is what oneDNN runs fastest on this CPU
 * @param seed      seed of the weight initialisation (glorot uniform), supplied by the caller's config
 */
public record ArchitectureOptions(int inputSize, CNN2DFormat format, long seed) {

    public ArchitectureOptions {
        Objects.requireNonNull(format, "format");
        if (inputSize < 8) {
            throw new IllegalArgumentException("inputSize must be at least 8 pixels, got " + inputSize);
        }
    }

    /** @return NHWC options at the architecture's default input size */
    public static ArchitectureOptions defaults(Architecture architecture, long seed) {
        return new ArchitectureOptions(architecture.defaultInputSize(), CNN2DFormat.NHWC, seed);
    }

    public ArchitectureOptions withInputSize(int size) {
        return new ArchitectureOptions(size, format, seed);
    }

    public ArchitectureOptions withFormat(CNN2DFormat newFormat) {
        return new ArchitectureOptions(inputSize, newFormat, seed);
    }
}
