package io.img2rec.core.image;

import org.deeplearning4j.nn.conf.CNN2DFormat;

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

    /** @return DL4J's name for this layout */
    public CNN2DFormat cnn2dFormat() {
        return this == NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
    }

    /** @return the layout DL4J calls {@code format} */
    public static TensorLayout of(CNN2DFormat format) {
        return format == CNN2DFormat.NHWC ? NHWC : NCHW;
    }
}
