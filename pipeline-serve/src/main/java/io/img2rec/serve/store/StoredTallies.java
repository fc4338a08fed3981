package io.img2rec.serve.store;

import io.img2rec.serve.rules.LabelTally;
import io.img2rec.serve.rules.RecommendationRules;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what both stores read from their rows (counts, and per label the positive images and the best one) into a
 * {@link ProfileState}: the shares and the recommendation are computed here, once, with the serving rules.
 */
final class StoredTallies {
    /** One label of a profile as read: positive images, and the best positive image (nulls when none). */
    record LabelRow(String label, int positiveImages, Double bestScore, String bestImage) {
    }

    private StoredTallies() {
    }

    static ProfileState state(String profile, int imagesSeen, int imagesAnalysed, List<LabelRow> rows,
                              String updatedAt) {
        List<LabelTally> tallies = new ArrayList<>(rows.size());
        for (LabelRow row : rows) {
            tallies.add(new LabelTally(row.label(), row.positiveImages(),
                    imagesAnalysed == 0 ? 0.0 : (double) row.positiveImages() / imagesAnalysed, row.bestScore(),
                    row.bestImage()));
        }
        return new ProfileState(profile, imagesSeen, imagesAnalysed, tallies, RecommendationRules.forProfile(tallies),
                updatedAt);
    }
}
