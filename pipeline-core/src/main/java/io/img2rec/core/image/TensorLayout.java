package io.img2rec.core.image;

import java.util.Locale;

/** Memory layout of image tensors. */
public enum TensorLayout {
    /** [batch, height, width, channels]: the fast layout with oneDNN. */
    NHWC,
    /** [batch, channels, height, width]: DL4J's zoo layout. */
    NCHW;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
