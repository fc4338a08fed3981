/**
 * A finished training run as evaluation reads it ({@link io.img2rec.eval.run.FinishedRun}): predictions, per-epoch
 * metrics, the run summary, provenance and which checkpoints exist, read through {@code io.img2rec.core.run}.
 */
package io.img2rec.eval.run;
