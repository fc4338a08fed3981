package io.img2rec.examples;

import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.api.RecommenderOptions.FaceMode;
import io.img2rec.serve.rules.ImageResult;

import java.nio.file.Path;
import java.util.List;

/**
 * Recommends for one image with the models of a run folder (or any folder of checkpoints), scoring the whole image
 * when no face is found: {@code RecommendOneImage <run folder> <image>}. Prints one line, the image's status first.
 */
public final class RecommendOneImage {
    private RecommendOneImage() {
    }

    public static void main(String[] args) throws Exception {
        Path runFolder = Path.of(args[0]);
        Path image = Path.of(args[1]);
        // README: recommend
        try (Recommender recommender = Recommender.builder()
                .runs(List.of(runFolder))
                .options(RecommenderOptions.DEFAULTS.withFaces(FaceMode.FACES_OR_WHOLE_IMAGE))
                .build()) {
            ImageResult result = recommender.recommendImage(image);
            System.out.println(result.status() + " " + result.labelScores() + ": " + result.recommendation().message());
        }
        // README: end
    }
}
