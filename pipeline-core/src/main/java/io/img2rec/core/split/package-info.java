/**
 * Assigns manifest entries to train / validation / test: {@link io.img2rec.core.split.IterativeStratifier} (multilabel
 * iterative stratification, Sechidis et al. 2011) and the {@link io.img2rec.core.split.Splitter} that applies it to a manifest.
 */
package io.img2rec.core.split;
