package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One label over a profile's images.
 *
 * @param label          the label
 * @param positiveImages analysed images with at least one face positive for it
 * @param share          positiveImages / analysed images (0 when none was analysed); never above 1
 * @param bestScore      highest image score for the label among the positive images (null when none)
 * @param bestImage      the image with that score (ties: name ascending)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelTally(String label, int positiveImages, double share, Double bestScore, String bestImage) {
}
