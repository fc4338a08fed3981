package io.img2rec.core.model;

import java.util.Locale;
import java.util.Objects;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs this host's forward-only passes of frozen trunks (the training cache fill, bottleneck features,
 * serving's trunks): oneDNN called directly ({@link OneDnnTrunk}: primitives built once per batch size, weights
 * re-ordered once into the layout each convolution wants, activations kept in oneDNN's blocked layouts from layer
 * to layer, ReLUs fused into the convolutions) or DL4J's own layers in the {@link ForwardLayout}. Decided once per
 * process from facts of the host — whether JavaCPP's oneDNN natives load here and ND4J runs on its CPU backend —
 * never from timings. A graph with a layer {@link OneDnnTrunk} does not translate runs on DL4J, and says why.
 *
 * <p><b>Winograd.</b> On oneDNN, 3×3 stride-1 convolutions can run on oneDNN's Winograd kernels where it has them
 * (AVX-512): VGG16@150's trunk 2.0× (batch 1) to 2.4× (batch 16) faster than the direct kernels on a 2-core Zen 4,
 * outputs equal to 2.4e-6 of the largest activation rather than bit for bit. It is off by default: a trunk cache that
 * differs in its last bits trains a model that differs too (the main job on the sample: hat's test AUC 0.827 →
 * 0.821), and in serving oneDNN picks its Winograd layout per batch size, so an image's score would depend in its
 * seventh digit on the requests batched with it ({@code RecommenderTest}: parallel callers get exactly the
 * sequential results). The direct kernels are the same kernels, and bits, as DL4J's helper, for every batch size.
 * {@value #WINOGRAD_PROPERTY}: {@code never} (default), {@code serving} (serving only: batch 1 about 1.9× faster on a
 * Zen 4), {@code always} (the training cache too: the main job's cache fill 75 → 35 s there).
 *
 * <p>Override the engine with the system property {@value #PROPERTY}: {@code auto} (the rule), {@code onednn} (fail
 * loudly where oneDNN cannot load) or {@code dl4j}.
 *
 * @param direct   whether trunks run on oneDNN directly
 * @param winograd whether, on oneDNN, eligible convolutions run on Winograd kernels
 * @param reason   why, for the one log line
 */
public record ForwardEngine(boolean direct, boolean winograd, String reason) {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardEngine.class);

    /** System property overriding the rule: {@code auto} (default), {@code onednn}, {@code dl4j}. */
    public static final String PROPERTY = "img2rec.forward.engine";
    /** System property: where Winograd kernels run: {@code never} (default), {@code serving}, {@code always}. */
    public static final String WINOGRAD_PROPERTY = "img2rec.forward.winograd";

    /** What a forward pass is for: the Winograd rule differs. */
    public enum Use {
        /** The training cache fill and bottleneck features. */
        TRAINING,
        /** Scoring images. */
        SERVING
    }

    public ForwardEngine {
        Objects.requireNonNull(reason, "reason");
    }

    /** @return DL4J's layers, for callers that want them (comparisons, tests) */
    public static ForwardEngine dl4j(String reason) {
        return new ForwardEngine(false, false, reason);
    }

    /**
     * @param winograd whether eligible convolutions run on Winograd kernels
     * @return oneDNN called directly; callers must be on a host where {@link OneDnnTrunk#available()}
     */
    public static ForwardEngine oneDnn(String reason, boolean winograd) {
        return new ForwardEngine(true, winograd, reason);
    }

    /** This host's choice for {@code use}, decided (and logged) on the first call. */
    public static ForwardEngine host(Use use) {
        return use == Use.TRAINING ? Host.TRAINING : Host.SERVING;
    }

    private static final class Host {
        static final ForwardEngine TRAINING = decide(Use.TRAINING);
        static final ForwardEngine SERVING = decide(Use.SERVING);

        private static ForwardEngine decide(Use use) {
            // inputs and outputs are read and written in host memory: only ND4J's CPU backend keeps them there
            OneDnnTrunk.Availability available = Nd4j.getEnvironment().isCPU() ? OneDnnTrunk.available()
                    : new OneDnnTrunk.Availability(false, "ND4J runs on another backend than its CPU one");
            ForwardEngine choice = choose(System.getProperty(PROPERTY), System.getProperty(WINOGRAD_PROPERTY),
                    available, use);
            LOG.info("forward-only passes of frozen trunks for {}: {}", use == Use.TRAINING ? "training" : "serving",
                    choice.describe());
            return choice;
        }
    }

    /**
     * The rule, as a pure function.
     *
     * @param override  the value of {@value #PROPERTY}, or null
     * @param winograd  the value of {@value #WINOGRAD_PROPERTY}, or null ({@code never})
     * @param available whether oneDNN's natives load on this host, and if not why
     * @param use       what the forward passes are for
     * @throws IllegalArgumentException naming the property and the allowed values when a value is unknown, or
     *                                  when {@code onednn} is asked for where it cannot load
     */
    static ForwardEngine choose(String override, String winograd, OneDnnTrunk.Availability available, Use use) {
        String w = winograd == null ? "never" : winograd.trim().toLowerCase(Locale.ROOT);
        boolean wino = switch (w) {
            case "never", "" -> false;
            case "serving" -> use == Use.SERVING;
            case "always" -> true;
            default -> throw new IllegalArgumentException("system property " + WINOGRAD_PROPERTY + "='" + winograd
                    + "' is not allowed; allowed: never, serving, always");
        };
        String value = override == null ? "auto" : override.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "dl4j":
                return dl4j("-D" + PROPERTY + "=dl4j");
            case "onednn":
                if (!available.loaded()) {
                    throw new IllegalArgumentException("system property " + PROPERTY + "=onednn, but oneDNN cannot"
                            + " load here (" + available.detail() + "); use auto or dl4j");
                }
                return oneDnn("-D" + PROPERTY + "=onednn, " + available.detail(), wino);
            case "auto":
            case "":
                return available.loaded() ? oneDnn(available.detail(), wino)
                        : dl4j("oneDNN cannot load here: " + available.detail());
            default:
                throw new IllegalArgumentException("system property " + PROPERTY + "='" + override
                        + "' is not an engine; allowed: auto, onednn, dl4j");
        }
    }

    /** @return one line: the engine and why */
    public String describe() {
        return (direct ? "oneDNN called directly" + (winograd ? ", Winograd where it has it" : ", direct convolutions")
                : "DL4J's layers") + " (" + reason + ")";
    }
}
