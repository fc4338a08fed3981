package io.img2rec.core.nativeio;

import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process-wide native settings that make DL4J's forward passes fast: DL4J's oneDNN layer helpers on (M2.1 ships
 * them switched off) and the oneDNN build of nd4j-native chosen explicitly. A value the user set on the command line
 * is kept.
 *
 * <p>img2rec's entry points call {@link #configure()} themselves (the {@code main} methods, {@code Recommender}'s
 * builder, the training and evaluation APIs), so an application needs no setup call of its own. The settings only
 * take full effect when made <em>before ND4J loads its native library</em>: an application that uses ND4J (or DL4J)
 * itself before its first img2rec call should call {@code NativeSetup.configure()} first thing in {@code main}.
 * When ND4J was loaded first, the first call logs one warning saying what is lost.
 *
 * <p>Idempotent and cheap: the first call does the work, later calls return at once. This is the one piece of
 * global state img2rec sets; it sets system properties only (it neither loads ND4J nor changes its settings).
 */
public final class NativeSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSetup.class);
    private static final AtomicBoolean CONFIGURED = new AtomicBoolean();
    /** The platform whose native jars pipeline-core depends on (by classifier). */
    static final String SHIPPED_PLATFORM = "linux-x86_64";

    private NativeSetup() {
    }

    /**
     * Sets the native properties once per JVM; warns once if ND4J's native library was already loaded, and once if
     * this JVM's platform is not the one img2rec brings natives for.
     * Safe to call from any thread, any number of times.
     */
    public static void configure() {
        if (CONFIGURED.get() || !CONFIGURED.compareAndSet(false, true)) {
            return;
        }
        // Looked at before anything is set: Loader's class initialisation loads no native code.
        String loadedFirst = loadedNd4jLibrary();
        keepOrSet(OneDnnStatus.HELPERS_DISABLE_PROPERTY, "false");
        keepOrSet(OneDnnStatus.PLATFORM_EXTENSION_PROPERTY, "-onednn");
        if (!loadedFirst.isEmpty()) {
            LOG.warn(lateSetupWarning(loadedFirst));
        }
        String platform = Loader.getPlatform();
        if (!SHIPPED_PLATFORM.equals(platform)) {
            LOG.warn(otherPlatformWarning(platform));
        }
    }

    /**
     * The warning for a JVM on another platform than the one whose natives img2rec's modules bring.
     *
     * @param platform JavaCPP's name of this JVM's platform, e.g. {@code macosx-arm64}
     * @return one message
     */
    static String otherPlatformWarning(String platform) {
        return "img2rec's modules bring ND4J, OpenBLAS, OpenCV and HDF5 natives for " + SHIPPED_PLATFORM
                + " only, and this JVM runs on " + platform + ": loading them will fail with UnsatisfiedLinkError"
                + " unless the application adds the " + platform + " classifiers itself (org.nd4j:nd4j-native,"
                + " org.bytedeco:javacpp, openblas, opencv, hdf5; see img2rec-bom for the versions).";
    }

    /** @return whether {@link #configure()} has run in this JVM */
    public static boolean configured() {
        return CONFIGURED.get();
    }

    /**
     * The warning for a setup that came after ND4J loaded {@code library}: what is lost and how to avoid it.
     *
     * @param library path of the ND4J native library already loaded
     * @return one message
     */
    static String lateSetupWarning(String library) {
        String lost = library.contains("-onednn")
                ? "layers created before this call run without DL4J's oneDNN helpers (forward passes 5-8x slower);"
                + " those created from now on use them"
                : "the loaded library (" + library + ") is not the oneDNN build, so DL4J's oneDNN helpers stay off"
                + " and every forward pass takes the slow path (5-8x slower)";
        return "ND4J's native library was loaded before img2rec's native setup (NativeSetup.configure()): " + lost
                + ". To avoid this, make an img2rec call (Recommender.builder(), the training or evaluation API)"
                + " before using ND4J or DL4J yourself, or call io.img2rec.core.nativeio.NativeSetup.configure()"
                + " first thing in main (or start the JVM with -D" + OneDnnStatus.HELPERS_DISABLE_PROPERTY
                + "=false -D" + OneDnnStatus.PLATFORM_EXTENSION_PROPERTY + "=-onednn).";
    }

    private static void keepOrSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** @return the path of the ND4J native library JavaCPP has loaded, {@code ""} when none is loaded yet */
    static String loadedNd4jLibrary() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue() == null ? "" : e.getValue();
            if (path.contains("libnd4j") && !path.contains("libjnind4j")) {
                return path;
            }
        }
        return "";
    }

    /** A hint when OpenBLAS was left to guess the CPU (it takes this project's AMD hosts for a 2008 core). */
    public static String openBlasHint() {
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        return coreType == null
                ? "OPENBLAS_CORETYPE is not set: dense layers and DL4J's own backward pass run on OpenBLAS's generic "
                + "kernels; export OPENBLAS_CORETYPE=Haswell (AVX2) or SkylakeX (AVX-512) before starting for ~2x"
                : "OPENBLAS_CORETYPE=" + coreType;
    }

    /**
     * A hint when OpenMP's threads are left to spin after each parallel region (its default), where they take the
     * core OpenBLAS's and the trainer's Java threads want. A started JVM cannot change it for itself.
     */
    public static String openMpHint() {
        return openMpHint(System.getenv("OMP_WAIT_POLICY"));
    }

    static String openMpHint(String waitPolicy) {
        return waitPolicy == null || waitPolicy.isBlank()
                ? "OMP_WAIT_POLICY is not set: OpenMP's threads spin between parallel regions and compete with "
                + "OpenBLAS's and Java's threads for the cores; export OMP_WAIT_POLICY=PASSIVE before starting "
                + "(the main job on the sample, 2-core Zen 4: 232 s -> 217 s in one run, 231 s in another; identical "
                + "results)"
                : "OMP_WAIT_POLICY=" + waitPolicy;
    }
}
