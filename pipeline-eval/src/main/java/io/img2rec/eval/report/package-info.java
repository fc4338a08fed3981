/**
 * Rendering of an {@link io.img2rec.eval.api.EvaluationResult}: XChart plots, Tablesaw tables turned into HTML, and the
 * self-contained {@code report.html} with {@code metrics.json} and {@code metrics.csv} beside it. The only part of
 * the evaluation that writes files.
 */
package io.img2rec.eval.report;
