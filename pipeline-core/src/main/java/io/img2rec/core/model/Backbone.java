package io.img2rec.core.model;

import java.util.Locale;

/** The convolutional bases img2rec fine-tunes, with the input size the original recipe used. */
public enum Backbone {
    VGG16(150),
    RESNET50(224),
    /** A few small convolutions: stands in for the real bases in fast tests. */
    TINY_CNN(32);

    private final int defaultInputSize;

    Backbone(int defaultInputSize) {
        this.defaultInputSize = defaultInputSize;
    }

    /** @return the square input side the original project trained this backbone at */
    public int defaultInputSize() {
        return defaultInputSize;
    }

    /** The name used in configs, sidecars and file names ({@code vgg16}, {@code resnet50}, {@code tiny_cnn}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the architecture definition of this backbone (Keras geometry and layer names) */
    public Architecture architecture() {
        return switch (this) {
            case VGG16 -> new Vgg16Architecture();
            case RESNET50 -> new ResNet50Architecture(ResNet50Architecture.KERAS_2_2_BN_EPSILON);
            case TINY_CNN -> new TinyCnnArchitecture();
        };
    }
}
