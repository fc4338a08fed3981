/**
 * The generated sample dataset: face-like portraits wearing hats, beards and eyewear, painted
 * deterministically from a seed and written in the same folder-per-label layout as real photos.
 */
package io.img2rec.core.sample;
