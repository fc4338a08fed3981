/**
 * Binary classification metrics as pure functions over {@code (truth, scores)} that return immutable records:
 * ROC and precision-recall curves, AUC, average precision, thresholded counts, threshold choice, averages across
 * labels, bootstrap intervals and ensemble averaging. Nothing here reads or writes files; rendering lives in
 * {@code io.img2rec.eval.report}.
 *
 * <p>Conventions shared by every class in this package:
 * <ul>
 *   <li>An example is predicted positive when {@code score >= threshold}.</li>
 *   <li>NaN scores are excluded (together with their truth value) and counted; see {@link
 *       io.img2rec.core.metrics.ScoredLabels#excludedNaN()}.</li>
 *   <li>A metric that is undefined (a single class, no examples, a zero denominator) is a {@link
 *       io.img2rec.core.metrics.MetricValue} that carries a reason instead of a number; no result holds NaN.</li>
 * </ul>
 */
package io.img2rec.core.metrics;
