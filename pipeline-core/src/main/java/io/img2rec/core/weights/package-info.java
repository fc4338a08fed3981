/**
 * Pretrained weights for our own architectures: the DL4J model zoo cache, Keras "notop" h5 files and DL4J zips,
 * copied layer by layer (by Keras layer name) into a freshly initialised graph, with a {@link WeightsSource} that says
 * where the weights came from — or plainly that they are random.
 */
package io.img2rec.core.weights;
