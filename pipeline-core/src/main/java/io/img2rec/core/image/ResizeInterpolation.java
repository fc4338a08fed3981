package io.img2rec.core.image;

import java.util.Locale;

/** Interpolation used to bring a decoded image to the network's input size. */
public enum ResizeInterpolation {
    /** Nearest neighbour with pixel-centre sampling, as PIL/Keras {@code load_img} (the original's default). */
    NEAREST,
    BILINEAR;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
