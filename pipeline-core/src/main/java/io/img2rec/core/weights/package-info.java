/**
 * Pretrained weights for our own architectures: the DL4J model zoo cache, Keras "notop" h5 files (downloaded on first
 * use and verified, {@link io.img2rec.core.weights.VerifiedDownload}) and DL4J zips, copied layer by layer (by Keras
 * layer name) into a freshly initialised graph, with a {@link io.img2rec.core.weights.WeightsSource} that says where
 * the weights came from — or plainly that they are random. The download classes use no DL4J type.
 */
package io.img2rec.core.weights;
