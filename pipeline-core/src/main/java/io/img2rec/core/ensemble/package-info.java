/**
 * The ensemble rule, in one class ({@link io.img2rec.core.ensemble.EnsembleRule}): how the models that cover a label
 * are averaged and where the averaged score's decision threshold comes from. Evaluation (the report's ensemble rows)
 * and serving (the decisions a {@code Recommender} makes) both call it, so what the report measures is what is served.
 */
package io.img2rec.core.ensemble;
