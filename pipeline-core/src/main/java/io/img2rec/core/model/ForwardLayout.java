package io.img2rec.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.img2rec.core.nativeio.OneDnnStatus;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout this host runs forward-only passes in (the training cache fill, bottleneck features, serving's
 * trunks), whatever layout the trainable part trains in. Decided once per process from facts of the host, never
 * from timings, so every JVM on the same kind of host (the local cache fill and a Spark executor's) chooses alike.
 *
 * <p>The rule, from measurements (docs/performance.md): with DL4J's oneDNN helpers active on a CPU with oneDNN's
 * {@code avx512_core} (AVX-512 F, BW, VL, DQ), NHWC — oneDNN's AVX-512 {@code brgconv} kernels work on NHWC, and
 * DL4J's NCHW path pays a layout reorder around every convolution. Anywhere else (AVX2 only, oneDNN off, CPU
 * unknown), the layout the model trains in: on the AVX2 host NHWC gave no consistent gain for a trunk.
 *
 * <p>Override with the system property {@value #PROPERTY}: {@code auto} (the rule), {@code nhwc}, {@code nchw}, or
 * {@code trained} (always the training layout).
 *
 * @param format the layout forward passes run in; empty: the layout each model trains in
 * @param reason why, for the one log line and for provenance
 */
public record ForwardLayout(Optional<CNN2DFormat> format, String reason) {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardLayout.class);

    /** System property overriding the rule: {@code auto} (default), {@code nhwc}, {@code nchw}, {@code trained}. */
    public static final String PROPERTY = "img2rec.forward.layout";
    /** The CPU flags that make oneDNN take its {@code avx512_core} kernels. */
    static final Set<String> AVX512_CORE = Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq");

    public ForwardLayout {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the layout a network that trains in {@code trained} runs its forward-only passes in */
    public CNN2DFormat formatFor(CNN2DFormat trained) {
        return format.orElse(trained);
    }

    /** @return the layout of every forward pass as trained (no twin networks) */
    public static ForwardLayout asTrained(String reason) {
        return new ForwardLayout(Optional.empty(), reason);
    }

    /**
     * This host's choice, decided on the first call (which loads ND4J, to see whether oneDNN is active) and logged
     * once; later calls return the same object.
     */
    public static ForwardLayout host() {
        return Host.CHOICE;
    }

    private static final class Host {
        static final ForwardLayout CHOICE = decide();

        private static ForwardLayout decide() {
            ForwardLayout choice = choose(System.getProperty(PROPERTY), OneDnnStatus.current().accelerated(),
                    cpuFlags());
            LOG.info("forward-only passes (trunk cache, bottleneck features, serving): {}", choice.describe());
            return choice;
        }
    }

    /** @return one line: the layout and why */
    public String describe() {
        return format.map(f -> "in " + f).orElse("in the layout each model trains in") + " (" + reason + ")";
    }

    /**
     * The rule, as a pure function.
     *
     * @param override the value of {@value #PROPERTY}, or null
     * @param oneDnn   whether DL4J's oneDNN helpers run oneDNN kernels ({@link OneDnnStatus#accelerated()})
     * @param cpuFlags the CPU's feature flags ({@code /proc/cpuinfo}); empty when unknown
     * @throws IllegalArgumentException naming the property and the allowed values when the override is unknown
     */
    static ForwardLayout choose(String override, boolean oneDnn, Set<String> cpuFlags) {
        String value = override == null ? "auto" : override.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "nhwc":
                return new ForwardLayout(Optional.of(CNN2DFormat.NHWC), "-D" + PROPERTY + "=nhwc");
            case "nchw":
                return new ForwardLayout(Optional.of(CNN2DFormat.NCHW), "-D" + PROPERTY + "=nchw");
            case "trained":
                return asTrained("-D" + PROPERTY + "=trained");
            case "auto":
            case "":
                break;
            default:
                throw new IllegalArgumentException("system property " + PROPERTY + "='" + override
                        + "' is not a layout; allowed: auto, nhwc, nchw, trained");
        }
        if (!oneDnn) {
            return asTrained("oneDNN not in use: " + (cpuFlags.containsAll(AVX512_CORE) ? "AVX-512" : "no AVX-512")
                    + " CPU, DL4J's built-in kernels");
        }
        if (cpuFlags.isEmpty()) {
            return asTrained("oneDNN, CPU features unknown");
        }
        if (cpuFlags.containsAll(AVX512_CORE)) {
            return new ForwardLayout(Optional.of(CNN2DFormat.NHWC), "oneDNN, AVX-512");
        }
        return asTrained("oneDNN, " + (cpuFlags.contains("avx2") ? "AVX2" : "no AVX2") + " without AVX-512");
    }

    /** @return the CPU's feature flags from {@code /proc/cpuinfo}; empty where it cannot be read (not Linux) */
    static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
