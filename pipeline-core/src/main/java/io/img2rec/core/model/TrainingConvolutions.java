package io.img2rec.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a trainable graph's 2-D convolutions on oneDNN called directly ({@link OneDnnConvolutionHelper}) instead of
 * DL4J M2.1's oneDNN helper: the same kernels and bits, minus the input gradient nobody reads (a layer fed by a network
 * input: VGG16's block5_conv1 when block 5 trains on cached block4_pool activations) and minus the per-call set-up.
 *
 * <p>Only layers DL4J itself would run on its oneDNN helper are switched (a plain {@code ConvolutionLayer}, NCHW,
 * float, no dilation, helper {@code MKLDNNConvHelper}): where DL4J runs its built-in im2col path (helpers off, another
 * backend) nothing changes. The system property {@value #PROPERTY} = {@code dl4j} turns it off.
 */
public final class TrainingConvolutions {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingConvolutions.class);

    /** System property: {@code auto} (default: oneDNN directly where DL4J would use its oneDNN helper), {@code dl4j}. */
    public static final String PROPERTY = "img2rec.train.convolutions";

    private static final HelperField<ConvolutionHelper> HELPER = HelperField.of(
            org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class, ConvolutionHelper.class);
    /** The first graph switched says so at INFO (once per process: every epoch calls {@link #install}). */
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private TrainingConvolutions() {
    }

    /**
     * What {@link #install} did.
     *
     * @param layers               convolution layers now on oneDNN directly (also counting ones that already were)
     * @param withoutInputGradient of those, layers whose input gradient is not computed
     * @param reason               why nothing (or not every convolution) was switched; empty when all were
     */
    public record Installed(int layers, int withoutInputGradient, String reason) {
    }

    /**
     * Switches {@code graph}'s eligible convolutions; idempotent (a layer already switched stays as it is).
     *
     * @return what was switched, and why not where not
     */
    public static Installed install(ComputationGraph graph) {
        String setting = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (setting.equals("dl4j")) {
            return new Installed(0, 0, PROPERTY + "=dl4j");
        }
        if (!setting.equals("auto")) {
            throw new IllegalArgumentException("system property " + PROPERTY + "=" + setting
                    + ": use auto or dl4j");
        }
        if (!HELPER.present()) {
            return new Installed(0, 0, "DL4J's ConvolutionLayer has no helper field here");
        }
        if (!Nd4j.getEnvironment().isCPU()) {
            return new Installed(0, 0, "ND4J runs on another backend than its CPU one");
        }
        OneDnnTrunk.Availability available = OneDnnTrunk.available();
        if (!available.loaded()) {
            return new Installed(0, 0, "oneDNN does not load: " + available.detail());
        }
        Set<String> networkInputs = Set.copyOf(graph.getConfiguration().getNetworkInputs());
        int switched = 0;
        int noInputGradient = 0;
        StringBuilder skipped = new StringBuilder();
        for (Layer l : graph.getLayers()) {
            if (l.getClass() != org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class) {
                continue;
            }
            ConvolutionLayer conf = (ConvolutionLayer) l.conf().getLayer();
            String name = conf.getLayerName();
            ConvolutionHelper current = HELPER.get(l);
            if (current instanceof OneDnnConvolutionHelper h) {
                switched++;
                noInputGradient += h.computesInputGradient() ? 0 : 1;
                continue;
            }
            String why = current instanceof MKLDNNConvHelper ? ineligible(conf, l)
                    : "DL4J runs it without its oneDNN helper";
            if (why != null) {
                skipped.append(skipped.length() == 0 ? "" : "; ").append(name).append(": ").append(why);
                continue;
            }
            List<String> inputs = graph.getConfiguration().getVertexInputs().get(name);
            boolean inputGradient = inputs == null || !networkInputs.containsAll(inputs);
            HELPER.set(l, new OneDnnConvolutionHelper(name, inputGradient));
            switched++;
            noInputGradient += inputGradient ? 0 : 1;
        }
        Installed installed = new Installed(switched, noInputGradient, skipped.toString());
        if (switched > 0 && LOGGED.compareAndSet(false, true)) {
            LOG.info("trainable convolutions on {}: {} layers, {} without their input gradient{}",
                    available.detail(), switched, noInputGradient,
                    skipped.length() == 0 ? "" : " (kept on DL4J: " + skipped + ")");
        }
        return installed;
    }

    private static String ineligible(ConvolutionLayer conf, Layer l) {
        if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            return "layout " + conf.getCnn2dDataFormat();
        }
        if (conf.getDilation()[0] != 1 || conf.getDilation()[1] != 1) {
            return "dilated";
        }
        if (l.getParam("W") == null || l.getParam("W").dataType() != DataType.FLOAT) {
            return "weights not float";
        }
        return null;
    }
}
