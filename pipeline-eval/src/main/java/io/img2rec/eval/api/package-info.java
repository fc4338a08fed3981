/**
 * The public evaluation API: {@link io.img2rec.eval.api.Evaluation} over one or more run folders returns an
 * {@link io.img2rec.eval.api.EvaluationResult} (typed records, metrics from {@code io.img2rec.core.metrics}); writing
 * the HTML report is a separate call. No DL4J or ND4J type appears here. Everything else in pipeline-eval is internal.
 *
 * <pre>{@code
 * Evaluation evaluation = Evaluation.builder().addRun(Path.of("runs/20261203-121555-vgg16")).build();
 * EvaluationResult result = evaluation.evaluate();
 * evaluation.writeReport(result, Path.of("runs/20261203-121555-vgg16"));
 * }</pre>
 */
package io.img2rec.eval.api;
