/**
 * Prediction: a {@link io.img2rec.serve.predict.ScoringModel} scores crops for the labels it was trained on (the DL4J
 * one encodes them with the shared {@code InputEncoder}); the {@link io.img2rec.serve.predict.EnsembleAverager}
 * averages each label over the architectures that cover it.
 */
package io.img2rec.serve.predict;
