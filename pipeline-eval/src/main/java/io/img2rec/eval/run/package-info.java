/**
 * Reading a finished training run folder ({@code runs/<stamp>-<config>/}): predictions, per-epoch metrics, the run
 * summary, provenance and which checkpoints exist, as immutable records. Malformed files fail with the file and line.
 */
package io.img2rec.eval.run;
