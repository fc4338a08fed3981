package io.img2rec.core.model;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a trainable graph's batch normalizations on oneDNN's training-mode primitives called directly
 * ({@link OneDnnBatchNormHelper}) instead of DL4J M2.1's oneDNN helper, whose backward pass is mostly libnd4j's
 * generic code (17.5 of a 64 ms ResNet50 phase-2 step). Results equal DL4J's to float rounding.
 *
 * <p>Only layers DL4J itself would run on its oneDNN helper are switched (a plain {@code BatchNormalization}, NCHW,
 * float, scale and shift trained, helper {@code MKLDNNBatchNormHelper}); frozen batch norms are not trained and are
 * left alone. The system property {@value #PROPERTY} = {@code dl4j} turns it off.
 */
public final class TrainingBatchNorms {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingBatchNorms.class);

    /** System property: {@code auto} (default: oneDNN directly where DL4J would use its oneDNN helper), {@code dl4j}. */
    public static final String PROPERTY = "img2rec.train.batchnorms";

    private static final HelperField<BatchNormalizationHelper> HELPER = HelperField.of(
            org.deeplearning4j.nn.layers.normalization.BatchNormalization.class, BatchNormalizationHelper.class);
    /** The first graph switched says so at INFO (once per process: every epoch calls {@link #install}). */
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private TrainingBatchNorms() {
    }

    /**
     * What {@link #install} did.
     *
     * @param layers batch normalizations now on oneDNN directly (also counting ones that already were)
     * @param reason why nothing (or not every batch normalization) was switched; empty when all were
     */
    public record Installed(int layers, String reason) {
    }

    /**
     * Switches {@code graph}'s eligible batch normalizations; idempotent.
     *
     * @return what was switched, and why not where not
     */
    public static Installed install(ComputationGraph graph) {
        String setting = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (setting.equals("dl4j")) {
            return new Installed(0, PROPERTY + "=dl4j");
        }
        if (!setting.equals("auto")) {
            throw new IllegalArgumentException("system property " + PROPERTY + "=" + setting
                    + ": use auto or dl4j");
        }
        if (!HELPER.present()) {
            return new Installed(0, "DL4J's BatchNormalization has no helper field here");
        }
        if (!Nd4j.getEnvironment().isCPU()) {
            return new Installed(0, "ND4J runs on another backend than its CPU one");
        }
        OneDnnTrunk.Availability available = OneDnnTrunk.available();
        if (!available.loaded()) {
            return new Installed(0, "oneDNN does not load: " + available.detail());
        }
        int switched = 0;
        StringBuilder skipped = new StringBuilder();
        for (Layer l : graph.getLayers()) {
            if (l.getClass() != org.deeplearning4j.nn.layers.normalization.BatchNormalization.class) {
                continue;
            }
            BatchNormalization conf = (BatchNormalization) l.conf().getLayer();
            String name = conf.getLayerName();
            BatchNormalizationHelper current = HELPER.get(l);
            if (current instanceof OneDnnBatchNormHelper) {
                switched++;
                continue;
            }
            String why = current instanceof MKLDNNBatchNormHelper ? ineligible(conf, l)
                    : "DL4J runs it without its oneDNN helper";
            if (why != null) {
                skipped.append(skipped.length() == 0 ? "" : "; ").append(name).append(": ").append(why);
                continue;
            }
            HELPER.set(l, new OneDnnBatchNormHelper(name));
            switched++;
        }
        Installed installed = new Installed(switched, skipped.toString());
        if (switched > 0 && LOGGED.compareAndSet(false, true)) {
            LOG.info("trainable batch normalizations on {}: {} layers{}", available.detail(), switched,
                    skipped.length() == 0 ? "" : " (kept on DL4J: " + skipped + ")");
        }
        return installed;
    }

    private static String ineligible(BatchNormalization conf, Layer l) {
        if (conf.getCnn2DFormat() != CNN2DFormat.NCHW) {
            return "layout " + conf.getCnn2DFormat();
        }
        if (conf.isLockGammaBeta()) {
            return "scale and shift locked";
        }
        if (l.getParam(BatchNormalizationParamInitializer.GAMMA) == null
                || l.getParam(BatchNormalizationParamInitializer.GAMMA).dataType() != DataType.FLOAT) {
            return "parameters not float";
        }
        return null;
    }
}
