package io.img2rec.core.nativeio;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A snapshot of the CPU acceleration actually in use: the ND4J backend, the native library JavaCPP loaded,
 * and whether DL4J's oneDNN layer helpers will be attached to new layers.
 *
 * <p>Helpers are attached only when all three hold: the system property {@value #HELPERS_DISABLE_PROPERTY} is
 * {@code false} (DL4J's default is {@code true}), the backend is CPU, and DL4J's reflective oneDNN check passes
 * (which on M2.1 needs the {@code org.nd4j.nativeblas.Nd4jCpu} bridge in this module). They only speed things
 * up when the loaded library is a oneDNN build ({@link #oneDnnBuild()}); ND4J's environment flags claim oneDNN
 * on builds without it, so the library path is what this report trusts.
 *
 * @param backend          ND4J backend class, e.g. {@code CpuBackend}
 * @param backendFamily    the executioner's {@code backend} property, e.g. {@code CPU} or {@code CUDA}
 * @param nativeLibrary    path of the loaded {@code nd4jcpu}/{@code nd4jcuda} library, or {@code ""} if unknown
 * @param platformExtension value of {@value #PLATFORM_EXTENSION_PROPERTY}, {@code ""} when unset
 * @param oneDnnBuild      the loaded native library is a oneDNN build (its path carries {@code -onednn})
 * @param helpersAllowed   {@value #HELPERS_DISABLE_PROPERTY} is {@code false}
 * @param helpersEnabled   DL4J's own check {@code BaseMKLDNNHelper.mklDnnEnabled()} passes
 * @param threads          ND4J's native thread count ({@code omp.threads} of the environment information)
 */
public record OneDnnStatus(String backend, String backendFamily, String nativeLibrary, String platformExtension,
                           boolean oneDnnBuild, boolean helpersAllowed, boolean helpersEnabled, String threads) {

    /** DL4J's switch for all layer helpers (cuDNN and oneDNN); {@code true} unless set. */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP's choice among native builds of one platform, e.g. {@code -onednn}. */
    public static final String PLATFORM_EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    public OneDnnStatus {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(backendFamily, "backendFamily");
        Objects.requireNonNull(nativeLibrary, "nativeLibrary");
        Objects.requireNonNull(platformExtension, "platformExtension");
        Objects.requireNonNull(threads, "threads");
    }

    /**
     * Reads the current state. Loads the ND4J backend if nothing has yet; changes nothing.
     *
     * @return the status of this JVM
     */
    public static OneDnnStatus current() {
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        String library = loadedNd4jLibrary();
        return new OneDnnStatus(
                Nd4j.getBackend().getClass().getSimpleName(),
                info.getProperty("backend", ""),
                library,
                System.getProperty(PLATFORM_EXTENSION_PROPERTY, ""),
                library.contains("-onednn"),
                !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true")),
                BaseMKLDNNHelper.mklDnnEnabled(),
                String.valueOf(info.getOrDefault("omp.threads", "")));
    }

    /** @return whether layers created now get oneDNN helpers that actually run oneDNN kernels */
    public boolean accelerated() {
        return oneDnnBuild && helpersAllowed && helpersEnabled;
    }

    /** @return one line for logs and provenance */
    public String summary() {
        return String.format("backend=%s (%s), native=%s, extension=%s, oneDNN build=%s, helpers allowed=%s, "
                        + "helpers enabled=%s, threads=%s%s",
                backend, backendFamily, nativeLibrary.isEmpty() ? "?" : nativeLibrary,
                platformExtension.isEmpty() ? "(unset)" : platformExtension, oneDnnBuild, helpersAllowed,
                helpersEnabled, threads,
                accelerated() ? "" : " -> oneDNN NOT in use" + hint());
    }

    private String hint() {
        if (!helpersAllowed) {
            return " (set -D" + HELPERS_DISABLE_PROPERTY + "=false)";
        }
        if (!oneDnnBuild) {
            return " (the loaded library is not the -onednn build; set -D" + PLATFORM_EXTENSION_PROPERTY
                    + "=-onednn and put the linux-x86_64-onednn classifier on the class path)";
        }
        return " (DL4J's oneDNN check failed; is org.nd4j.nativeblas.Nd4jCpu on the class path?)";
    }

    private static String loadedNd4jLibrary() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue() == null ? "" : e.getValue();
            if (path.contains("libnd4j") && !path.contains("libjnind4j")) {
                return path;
            }
        }
        return "";
    }
}
