/**
 * Models saved by the original Keras project (model JSON + h5 weights per label, the top nested as a
 * {@code Sequential} inside the functional model): flattened into a form DL4J's Keras import accepts, then imported.
 */
package io.img2rec.serve.keras;
