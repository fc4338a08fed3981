package io.img2rec.serve.face;

import io.img2rec.core.image.RgbImage;

import java.util.List;

/**
 * Finds faces in an image. Implementations must be safe to call from several threads at once and own any native
 * resources until {@link #close()}.
 */
public interface FaceDetector extends AutoCloseable {
    /** Face boxes in a deterministic order (top to bottom, then left to right). */
    List<FaceBox> detect(RgbImage image);

    @Override
    void close();
}
