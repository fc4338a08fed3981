package io.img2rec.serve.store;

import io.img2rec.serve.rules.LabelTally;
import io.img2rec.serve.rules.Recommendation;

import java.util.List;

/**
 * A profile as stored.
 *
 * @param profile        its id
 * @param imagesSeen     distinct images (by SHA-256) added, with or without a face
 * @param imagesAnalysed those with at least one scored crop: the denominator of the shares
 * @param tallies        per label: positive images, share, best image
 * @param recommendation the profile rule over the tallies, recomputed at every update
 * @param updatedAt      ISO-8601 instant of the last update
 */
public record ProfileState(String profile, int imagesSeen, int imagesAnalysed, List<LabelTally> tallies,
                           Recommendation recommendation, String updatedAt) {
    public ProfileState {
        tallies = List.copyOf(tallies);
    }
}
