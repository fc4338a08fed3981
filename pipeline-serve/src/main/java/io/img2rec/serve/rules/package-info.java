/**
 * Results and the recommendation rules: per-face and per-image results, label tallies of a profile, and the pure
 * functions that pick one product for an image, a profile (a folder) or a set of profiles.
 */
package io.img2rec.serve.rules;
