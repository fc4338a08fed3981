package io.img2rec.serve.rules;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.model.Backbone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recommendation rules, as pure functions. A score is positive for a label when it is {@code >= } the label's
 * threshold (the evaluation module's convention).
 *
 * <ul>
 *   <li><b>Image</b>: a label's image score is its best averaged score over the image's faces. The product is the
 *   label with the highest image score among the labels positive on the image; none positive → "no items detected".
 *   Ties: the first label in {@link #TIE_ORDER} (the original's hat, beard, eyewear). The face behind it is the
 *   face with the highest score for that label (ties: the upper face, then the left one, i.e. the first in
 *   detection order).</li>
 *   <li><b>Profile</b> (a folder): an image is positive for a label when any of its faces is. A label's share is
 *   positive images / analysed images (images with at least one scored crop). The product is the label with the
 *   highest share; ties: higher best score, then {@link #TIE_ORDER}. Its image is the positive image with the
 *   highest score for it; ties: name ascending. No positive image → "no items detected".</li>
 *   <li><b>Folder of folders</b>: the profile rule for each sub-folder, independently.</li>
 * </ul>
 *
 * <p>Slips of the original fixed here: it counted positive <em>faces</em> but divided by images (shares above 1),
 * it used only the last face of a single image (now: the best face); the size filter fix lives in {@code FaceCrop}.
 * On exactly equal scores we follow its {@code np.argmax}, which took the first label of its fixed order (hat, beard,
 * eyewear). Where it named a product although no score reached 0.5 (a single image: the argmax of the last face's
 * scores; a folder: hat when every share was 0), here that is "no items detected", like a profile without positive
 * images.
 */
public final class RecommendationRules {
    private RecommendationRules() {
    }

    /**
     * The order that breaks exact ties between labels: the original recipe's label order (the config's default
     * {@code labels}: hat, beard, eyewear, the order of the original's {@code np.argmax}), then any other label by
     * name. Served models do not carry their run's label order (the registry sorts labels), so a run trained with
     * its labels in another order still breaks ties in this one.
     */
    public static final Comparator<String> TIE_ORDER = tieOrder(PipelineConfig.defaults(Backbone.VGG16).labels());

    private static Comparator<String> tieOrder(List<String> first) {
        List<String> order = List.copyOf(first);
        return Comparator.<String>comparingInt(l -> order.contains(l) ? order.indexOf(l) : order.size())
                .thenComparing(Comparator.naturalOrder());
    }

    /** Scores of faces turned into an image verdict: label scores, positives, best face, recommendation. */
    public record ImageVerdict(Map<String, Double> labelScores, List<String> positives, Integer bestFace,
                               Recommendation recommendation) {
    }

    /** Labels of {@code scores} at or above their threshold, sorted. A label without a threshold is never positive. */
    public static List<String> positives(Map<String, Double> scores, Map<String, Double> thresholds) {
        List<String> out = new ArrayList<>();
        for (String label : new TreeSet<>(scores.keySet())) {
            Double t = thresholds.get(label);
            if (t != null && scores.get(label) >= t) {
                out.add(label);
            }
        }
        return out;
    }

    /** The single-image rule over the averaged scores of an image's faces (in detection order). */
    public static ImageVerdict forImage(String imageName, List<Map<String, Double>> faceScores,
                                        Map<String, Double> thresholds) {
        if (faceScores.isEmpty()) {
            return new ImageVerdict(Map.of(), List.of(), null, Recommendation.nothing());
        }
        Map<String, Double> best = new TreeMap<>();
        for (Map<String, Double> face : faceScores) {
            face.forEach((label, score) -> best.merge(label, score, Math::max));
        }
        TreeSet<String> positive = new TreeSet<>();
        for (Map<String, Double> face : faceScores) {
            positive.addAll(positives(face, thresholds));
        }
        Comparator<String> byScore = Comparator.<String>comparingDouble(best::get).thenComparing(TIE_ORDER.reversed());
        Optional<String> product = positive.stream().max(byScore);
        if (product.isEmpty()) {
            String top = best.keySet().stream().max(byScore).orElseThrow();
            return new ImageVerdict(best, List.of(), bestFaceFor(top, faceScores), Recommendation.nothing());
        }
        String label = product.get();
        return new ImageVerdict(best, List.copyOf(positive), bestFaceFor(label, faceScores),
                Recommendation.of(label, imageName, best.get(label), null));
    }

    private static Integer bestFaceFor(String label, List<Map<String, Double>> faceScores) {
        int bestIndex = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < faceScores.size(); i++) {
            Double s = faceScores.get(i).get(label);
            if (s != null && s > bestScore) {
                bestScore = s;
                bestIndex = i;
            }
        }
        return bestIndex < 0 ? null : bestIndex;
    }

    /** One label's tally over a profile's image results (only analysed images count). */
    public static List<LabelTally> tally(Collection<ImageResult> images, Collection<String> labels) {
        int analysed = (int) images.stream().filter(i -> i.status() == ImageStatus.ANALYSED).count();
        List<LabelTally> out = new ArrayList<>();
        for (String label : new TreeSet<>(labels)) {
            int positive = 0;
            Double bestScore = null;
            String bestImage = null;
            for (ImageResult image : images) {
                if (image.status() != ImageStatus.ANALYSED || !image.positives().contains(label)) {
                    continue;
                }
                positive++;
                double score = image.labelScores().get(label);
                if (bestScore == null || score > bestScore
                        || score == bestScore && image.name().compareTo(bestImage) < 0) {
                    bestScore = score;
                    bestImage = image.name();
                }
            }
            out.add(new LabelTally(label, positive, analysed == 0 ? 0.0 : (double) positive / analysed, bestScore,
                    bestImage));
        }
        return out;
    }

    /** The profile rule over label tallies (from {@link #tally} or from the profile store). */
    public static Recommendation forProfile(Collection<LabelTally> tallies) {
        return tallies.stream()
                .filter(t -> t.positiveImages() > 0)
                .max(Comparator.comparingDouble(LabelTally::share)
                        .thenComparingDouble(LabelTally::bestScore)
                        .thenComparing(LabelTally::label, TIE_ORDER.reversed()))
                .map(t -> Recommendation.of(t.label(), t.bestImage(), t.bestScore(), t.share()))
                .orElse(Recommendation.nothing());
    }

    /** A whole profile: tallies and the profile rule over its image results. */
    public static ProfileResult forProfile(String profile, List<ImageResult> images, Collection<String> labels) {
        List<LabelTally> tallies = tally(images, labels);
        int analysed = (int) images.stream().filter(i -> i.status() == ImageStatus.ANALYSED).count();
        int noFace = (int) images.stream().filter(i -> i.status() == ImageStatus.NO_FACE).count();
        int failed = (int) images.stream().filter(i -> i.status() == ImageStatus.ERROR).count();
        return new ProfileResult(profile, images.size(), analysed, noFace, failed, tallies, forProfile(tallies),
                images);
    }
}
