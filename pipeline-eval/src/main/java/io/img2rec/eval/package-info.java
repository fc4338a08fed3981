/**
 * Evaluation of trained label models: {@link io.img2rec.eval.Evaluator} turns predictions (per model, label and split)
 * into an {@link io.img2rec.eval.api.EvaluationResult} for every model and their ensemble; {@code EvaluateMain} is the
 * {@code exec:java -Drun=...} entry that also writes the report.
 */
package io.img2rec.eval;

import io.img2rec.eval.api.EvaluationResult;
