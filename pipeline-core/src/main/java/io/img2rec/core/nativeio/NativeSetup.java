package io.img2rec.core.nativeio;

/**
 * The process-wide native settings img2rec's entry points make before ND4J loads: DL4J's oneDNN layer helpers
 * on (M2.1 ships them switched off) and the oneDNN build of nd4j-native chosen explicitly. Library code never
 * calls this; {@code main} methods do, first thing. A value the user set on the command line is kept.
 */
public final class NativeSetup {
    private NativeSetup() {
    }

    public static void configure() {
        keepOrSet(OneDnnStatus.HELPERS_DISABLE_PROPERTY, "false");
        keepOrSet(OneDnnStatus.PLATFORM_EXTENSION_PROPERTY, "-onednn");
        keepOrSet("java.awt.headless", "true");
    }

    private static void keepOrSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** A hint when OpenBLAS was left to guess the CPU (it takes this project's AMD hosts for a 2008 core). */
    public static String openBlasHint() {
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        return coreType == null
                ? "OPENBLAS_CORETYPE is not set: dense layers and DL4J's own backward pass run on OpenBLAS's generic "
                + "kernels; export OPENBLAS_CORETYPE=Haswell (AVX2) or SkylakeX (AVX-512) before starting for ~2x"
                : "OPENBLAS_CORETYPE=" + coreType;
    }
}
