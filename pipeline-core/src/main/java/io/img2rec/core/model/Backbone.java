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

    public int defaultInputSize() {
        return defaultInputSize;
    }

    /** The name used in configs, sidecars and file names ({@code vgg16}, {@code resnet50}, {@code tiny_cnn}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
