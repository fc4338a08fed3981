package io.img2rec.core.model;

import java.util.Objects;

/**
 * The classifier placed on a convolutional base: pooling, an optional hidden dense layer with dropout, and the output.
 *
 * @param pooling         how the base's last feature map becomes a vector
 * @param hiddenUnits     units of the ReLU dense layer, or 0 for none
 * @param keepProbability DL4J dropout: probability to <em>keep</em> an activation (Keras {@code Dropout(r)} = 1 - r);
 *                        1 for no dropout layer
 * @param outputs         output units: 1 for a binary label, k for a k-label multilabel head, 1000 for ImageNet
 * @param output          output activation and loss
 */
public record TopSpec(Pooling pooling, int hiddenUnits, double keepProbability, int outputs, Output output) {

    /** Feature map to vector. */
    public enum Pooling { FLATTEN, GLOBAL_AVERAGE }

    /** Output activation with its loss. */
    public enum Output {
        /** One independent sigmoid per output, binary cross-entropy (binary and multilabel heads). */
        SIGMOID_BINARY_XENT,
        /** Softmax over the outputs, multi-class cross-entropy (the ImageNet top). */
        SOFTMAX_MCXENT
    }

    public TopSpec {
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(output, "output");
        if (hiddenUnits < 0) {
            throw new IllegalArgumentException("hiddenUnits must be >= 0, got " + hiddenUnits);
        }
        if (!(keepProbability > 0 && keepProbability <= 1)) {
            throw new IllegalArgumentException("keepProbability must be in (0, 1], got " + keepProbability);
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
    }

    /** @return sigmoid outputs (one per label) with binary cross-entropy */
    public static TopSpec sigmoid(Pooling pooling, int hiddenUnits, double keepProbability, int outputs) {
        return new TopSpec(pooling, hiddenUnits, keepProbability, outputs, Output.SIGMOID_BINARY_XENT);
    }

    /** @return Keras' ImageNet top: global average pooling, then a softmax dense layer of {@code classes} units */
    public static TopSpec imagenet(int classes) {
        return new TopSpec(Pooling.GLOBAL_AVERAGE, 0, 1.0, classes, Output.SOFTMAX_MCXENT);
    }
}
