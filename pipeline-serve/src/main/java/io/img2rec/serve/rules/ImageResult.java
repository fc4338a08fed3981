package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * The result for one image.
 *
 * @param name           the image's name as given (file name relative to the folder, or the upload's name)
 * @param sha256         SHA-256 of the image bytes (null when they could not be read)
 * @param status         analysed, no face, or error
 * @param error          what went wrong (status ERROR only)
 * @param width          decoded width (null on error)
 * @param height         decoded height
 * @param wholeImage     true when the whole image was classified instead of face crops
 * @param faces          the scored crops, top to bottom
 * @param skippedFaces   detected faces that were not scored
 * @param labelScores    label → best (maximum) averaged score over the faces
 * @param positives      labels positive on at least one face, sorted
 * @param bestFace       index in {@code faces} of the face behind the recommendation (null when none)
 * @param recommendation the single-image rule's choice
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageResult(String name, String sha256, ImageStatus status, String error, Integer width, Integer height,
                          boolean wholeImage, List<FaceResult> faces, List<SkippedFace> skippedFaces,
                          Map<String, Double> labelScores, List<String> positives, Integer bestFace,
                          Recommendation recommendation) {
    public ImageResult {
        faces = faces == null ? List.of() : List.copyOf(faces);
        skippedFaces = skippedFaces == null ? List.of() : List.copyOf(skippedFaces);
        labelScores = labelScores == null ? Map.of() : Map.copyOf(labelScores);
        positives = positives == null ? List.of() : List.copyOf(positives);
    }

    public static ImageResult error(String name, String sha256, String error) {
        return new ImageResult(name, sha256, ImageStatus.ERROR, error, null, null, false, List.of(), List.of(),
                Map.of(), List.of(), null, Recommendation.nothing());
    }
}
