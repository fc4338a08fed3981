package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The product recommended, or none.
 *
 * @param product the label chosen, null when nothing was detected
 * @param message "We recommend &lt;product&gt; products", "no items detected", or for an image without a usable face
 *                "no face found" / "no usable face (N found, all too small)"
 * @param image   the image the product was chosen for (profile: the image that scored highest for it)
 * @param score   the averaged score behind the choice
 * @param share   for a profile, the share of analysed images predicted positive for the product
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommendation(String product, String message, String image, Double score, Double share) {
    public static final String NOTHING = "no items detected";

    public static Recommendation nothing() {
        return new Recommendation(null, NOTHING, null, null, null);
    }

    /** The message of an image in which the detector found no face at all. */
    public static final String NO_FACE_FOUND = "no face found";

    /**
     * No recommendation because the image has no usable face: none found ({@value #NO_FACE_FOUND}), or
     * {@code tooSmall} faces found and all skipped as too small.
     */
    public static Recommendation noUsableFace(int tooSmall) {
        if (tooSmall < 0) {
            throw new IllegalArgumentException("tooSmall must be >= 0, got " + tooSmall);
        }
        return new Recommendation(null, tooSmall == 0 ? NO_FACE_FOUND
                : "no usable face (" + tooSmall + " found, all too small)", null, null, null);
    }

    public static Recommendation of(String product, String image, double score, Double share) {
        return new Recommendation(product, "We recommend " + product + " products", image, score, share);
    }

    public boolean found() {
        return product != null;
    }
}
