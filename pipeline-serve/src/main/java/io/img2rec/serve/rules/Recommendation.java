package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The product recommended, or none.
 *
 * @param product the label chosen, null when nothing was detected
 * @param message "We recommend &lt;product&gt; products" or "no items detected"
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

    public static Recommendation of(String product, String image, double score, Double share) {
        return new Recommendation(product, "We recommend " + product + " products", image, score, share);
    }

    public boolean found() {
        return product != null;
    }
}
