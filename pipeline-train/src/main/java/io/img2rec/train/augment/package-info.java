/**
 * Internal. Training-time image augmentation with the semantics of Keras {@code ImageDataGenerator}
 * (keras-preprocessing 1.1): one random affine warp (rotation, shift, shear, zoom) done by OpenCV, then horizontal
 * flip and brightness.
 */
package io.img2rec.train.augment;
