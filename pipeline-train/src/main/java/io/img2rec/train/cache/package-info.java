/**
 * Internal. The frozen-trunk cache: activations at the freeze boundary computed once per image (and once per
 * augmented copy), shared by every label model of an architecture, in RAM up to a budget and spilled to disk beyond.
 */
package io.img2rec.train.cache;
