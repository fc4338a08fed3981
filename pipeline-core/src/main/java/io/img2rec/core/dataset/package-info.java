/** A config's labelled folders turned into a split manifest with its rejects and summary tables, written to a folder. */
package io.img2rec.core.dataset;
