package org.nd4j.nativeblas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Compatibility bridge for a DL4J 1.0.0-M2.1 bug; not an ND4J class. <b>Internal to img2rec, not an API</b>: it
 * lives alone in the artifact {@code io.img2rec:pipeline-nd4j-compat} (a dependency of {@code pipeline-core}) and
 * nothing should call it but DL4J.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} (deeplearning4j-nn
 * 1.0.0-M2.1) decides whether the oneDNN layer helpers may be used by reflection only: it loads the class
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, calls its public static no-argument {@code getInstance()}
 * and then the public no-argument instance method {@code isUseMKLDNN()}, expecting a {@code Boolean}. In M2.1
 * the JavaCPP bindings moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the
 * flag was renamed {@code isUseONEDNN()}, so the lookup throws, the helper marks the check as failed and
 * every convolution, pooling and batch-normalisation layer silently falls back to the slow built-in path.
 *
 * <p>This class provides exactly those two members under the old name and forwards to the new binding. It
 * is looked up reflectively so that the module still compiles and runs on a backend without the CPU
 * bindings (the CUDA profile); there the bridge answers {@code false}. Remove it (and the artifact) when
 * DL4J is upgraded past M2.1. {@code io.img2rec.core.nativeio.OneDnnStatus} reports whether it took effect.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The two members {@code BaseMKLDNNHelper} calls, forwarding to the M2.1 CPU binding. */
    public static final class Environment {

        private static final String BINDING = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** @return the single bridge instance (the reflective caller passes it back to {@link #isUseMKLDNN()}) */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * @return the native environment's {@code isUseONEDNN()} flag, or {@code false} when the ND4J CPU
         *     bindings are not on the class path
         */
        public boolean isUseMKLDNN() {
            MethodHandle flag = Binding.IS_USE_ONEDNN;
            if (flag == null) {
                return false;
            }
            try {
                return (boolean) flag.invoke();
            } catch (Throwable e) {
                throw new IllegalStateException("Calling " + BINDING + ".getInstance().isUseONEDNN() failed", e);
            }
        }

        /** Resolved lazily, on first use, so that loading the bridge does not load native code. */
        private static final class Binding {
            static final MethodHandle IS_USE_ONEDNN = resolve();

            private static MethodHandle resolve() {
                try {
                    Class<?> binding = Class.forName(BINDING, true, Nd4jCpu.class.getClassLoader());
                    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                    MethodHandle getInstance = lookup.findStatic(binding, "getInstance", MethodType.methodType(binding));
                    MethodHandle isUse = lookup.findVirtual(binding, "isUseONEDNN", MethodType.methodType(boolean.class));
                    return MethodHandles.foldArguments(isUse, getInstance);
                } catch (ClassNotFoundException e) {
                    return null;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("ND4J CPU binding " + BINDING
                            + " lacks getInstance()/isUseONEDNN(); the oneDNN bridge does not fit this ND4J version", e);
                }
            }
        }
    }
}
