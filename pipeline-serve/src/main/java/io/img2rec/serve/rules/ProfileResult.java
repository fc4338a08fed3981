package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The result for one profile (a folder of images of one person).
 *
 * @param profile         its name
 * @param images          images tried
 * @param imagesAnalysed  images with at least one scored crop: the denominator of every share
 * @param imagesNoFace    decoded images without a usable face
 * @param imagesFailed    files that were not usable images
 * @param tallies         one per label, sorted by label
 * @param recommendation  the profile rule's choice
 * @param imageResults    per image (may be empty when only the summary is kept)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileResult(String profile, int images, int imagesAnalysed, int imagesNoFace, int imagesFailed,
                            List<LabelTally> tallies, Recommendation recommendation, List<ImageResult> imageResults) {
    public ProfileResult {
        tallies = List.copyOf(tallies);
        imageResults = imageResults == null ? List.of() : List.copyOf(imageResults);
    }
}
