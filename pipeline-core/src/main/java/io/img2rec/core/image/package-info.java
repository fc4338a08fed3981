/**
 * Image decoding and the one pre-processing path shared by training, evaluation and serving:
 * file bytes → {@link io.img2rec.core.image.RgbImage} → resized → network input tensor.
 */
package io.img2rec.core.image;
