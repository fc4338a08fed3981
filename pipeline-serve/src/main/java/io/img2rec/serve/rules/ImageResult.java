package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result for one image.
 *
 * @param name           the image's name as given (file name relative to the folder, or the upload's name)
 * @param sha256         SHA-256 of the image bytes (null when they could not be read)
 * @param status         analysed, no face, or error
 * @param error          what went wrong, for people (status ERROR only)
 * @param errorCode      what went wrong, for programs (status ERROR only; never null then): decide on this, not on
 *                       the message or the name
 * @param errorId        for {@link ImageErrorCode#ANALYSIS_FAILED} only: a random id that the log line holding the
 *                       stack trace carries too (null otherwise)
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
public record ImageResult(String name, String sha256, ImageStatus status, String error, ImageErrorCode errorCode,
                          String errorId, Integer width, Integer height, boolean wholeImage, List<FaceResult> faces,
                          List<SkippedFace> skippedFaces, Map<String, Double> labelScores, List<String> positives,
                          Integer bestFace, Recommendation recommendation) {
    public ImageResult {
        Objects.requireNonNull(status, "status");
        if ((status == ImageStatus.ERROR) != (errorCode != null)) {
            throw new IllegalArgumentException("image " + name + ": status " + status + " with error code "
                    + errorCode + " (an error code goes with status ERROR, and only with it)");
        }
        if (errorId != null && errorCode != ImageErrorCode.ANALYSIS_FAILED) {
            throw new IllegalArgumentException("image " + name + ": an error id goes with "
                    + ImageErrorCode.ANALYSIS_FAILED + " only, not " + errorCode);
        }
        faces = faces == null ? List.of() : List.copyOf(faces);
        skippedFaces = skippedFaces == null ? List.of() : List.copyOf(skippedFaces);
        labelScores = labelScores == null ? Map.of() : Map.copyOf(labelScores);
        positives = positives == null ? List.of() : List.copyOf(positives);
    }

    /** A result without error code (status {@link ImageStatus#ANALYSED} or {@link ImageStatus#NO_FACE}). */
    public ImageResult(String name, String sha256, ImageStatus status, String error, Integer width, Integer height,
                       boolean wholeImage, List<FaceResult> faces, List<SkippedFace> skippedFaces,
                       Map<String, Double> labelScores, List<String> positives, Integer bestFace,
                       Recommendation recommendation) {
        this(name, sha256, status, error, null, null, width, height, wholeImage, faces, skippedFaces, labelScores,
                positives, bestFace, recommendation);
    }

    /** An image refused or not readable: {@code code} says why, {@code error} says it in words. */
    public static ImageResult error(String name, String sha256, ImageErrorCode code, String error) {
        Objects.requireNonNull(code, "code");
        return new ImageResult(name, sha256, ImageStatus.ERROR, error, code, null, null, null, false, List.of(),
                List.of(), Map.of(), List.of(), null, Recommendation.nothing());
    }

    /** An image whose analysis failed ({@link ImageErrorCode#ANALYSIS_FAILED}); {@code errorId} is in the log too. */
    /**
     * An image whose analysis failed with {@code cause}, in the one wording every entry point uses: {@code
     * "<name>: analysis failed (<exception>: <message>); error id <id>"}. The caller logs the stack trace under
     * {@code errorId}.
     */
    public static ImageResult analysisFailed(String name, String sha256, String errorId, Throwable cause) {
        return analysisFailed(name, sha256, errorId, name + ": analysis failed (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "); error id " + errorId);
    }

    /** An image whose analysis failed, with the message as recorded (e.g. read back from a result table). */
    public static ImageResult analysisFailed(String name, String sha256, String errorId, String error) {
        Objects.requireNonNull(errorId, "errorId");
        return new ImageResult(name, sha256, ImageStatus.ERROR, error, ImageErrorCode.ANALYSIS_FAILED, errorId, null,
                null, false, List.of(), List.of(), Map.of(), List.of(), null, Recommendation.nothing());
    }
}
