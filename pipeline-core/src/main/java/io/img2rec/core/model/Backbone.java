package io.img2rec.core.model;

/** The pretrained backbones the project fine-tunes, with the input size the original project used. */
public enum Backbone {
    VGG16(150),
    RESNET50(224);

    private final int defaultInputSize;

    Backbone(int defaultInputSize) {
        this.defaultInputSize = defaultInputSize;
    }

    /** @return the square input side the original project trained this backbone at */
    public int defaultInputSize() {
        return defaultInputSize;
    }

    /** @return the architecture definition of this backbone (Keras geometry and layer names) */
    public Architecture architecture() {
        return switch (this) {
            case VGG16 -> new Vgg16Architecture();
            case RESNET50 -> new ResNet50Architecture(ResNet50Architecture.KERAS_2_2_BN_EPSILON);
        };
    }
}
