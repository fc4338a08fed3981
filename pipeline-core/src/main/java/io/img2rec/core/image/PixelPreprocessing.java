package io.img2rec.core.image;

import java.util.Locale;

/**
 * How RGB pixels (0–255) become network inputs. Both modes reorder channels to BGR, as the
 * original Keras project did.
 */
public enum PixelPreprocessing {
    /** The original VGG16 path: RGB→BGR, no mean subtracted, then ×1/255. */
    BGR_RESCALE,
    /** Keras "caffe" mode (ResNet50): RGB→BGR, subtract the ImageNet BGR means 103.939/116.779/123.68, no rescale. */
    CAFFE;

    public static final double[] IMAGENET_BGR_MEANS = {103.939, 116.779, 123.68};

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
