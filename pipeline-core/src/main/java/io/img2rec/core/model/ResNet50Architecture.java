package io.img2rec.core.model;

import org.nd4j.linalg.activations.Activation;

/**
 * The standard ResNet50 (Keras {@code keras_applications/resnet50.py}, torchvision geometry) — not DL4J's zoo
 * {@code ResNet50}, which strides differently. conv1 7×7/2 (Keras' {@code conv1_pad} folded into the layer's padding),
 * {@code bn_conv1}, ReLU, max pool 3×3/2 (Keras 2.2.4's {@code pool1_pad} folded in: 112 → 56), then stages 2–5 of
 * [3, 4, 6, 3] bottleneck blocks. The first block of each stage is a projection ("conv") block; from stage 3 on its
 * stride 2 sits on the first 1×1 convolution ({@code resNx_branch2a}) and on the shortcut ({@code resNx_branch1}),
 * as in Keras 2.2. Layer names are Keras': {@code res5c_branch2c}, {@code bn5c_branch2c}; the residual sum is
 * {@code res5c} and its ReLU {@code res5c_relu} (Caffe's names; Keras numbers them {@code add_16}, {@code activation_49}).
 *
 * <p>Batch-norm epsilon: Keras 2.2's {@code keras_applications/resnet50.py} passes no epsilon, so its layers use the
 * Keras default 1e-3 (read in the source); 1.001e-5 is what {@code keras_applications/resnet_common.py} and tf.keras'
 * {@code resnet.py} use. Momentum 0.99 (Keras default) is DL4J's {@code decay}.
 */
public final class ResNet50Architecture implements Architecture {

    /** Epsilon of every BatchNormalization in Keras 2.2's ResNet50 (the Keras default). */
    public static final double KERAS_2_2_BN_EPSILON = 1e-3;
    /** Epsilon of tf.keras' / resnet_common's ResNet50. */
    public static final double TF_KERAS_BN_EPSILON = 1.001e-5;
    private static final double BN_MOMENTUM = 0.99;

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] WIDTH = {64, 128, 256, 512};

    private final double bnEpsilon;

    public ResNet50Architecture(double bnEpsilon) {
        if (!(bnEpsilon > 0)) {
            throw new IllegalArgumentException("batch-norm epsilon must be > 0, got " + bnEpsilon);
        }
        this.bnEpsilon = bnEpsilon;
    }

    @Override
    public String name() {
        return "resnet50";
    }

    @Override
    public int defaultInputSize() {
        return Backbone.RESNET50.defaultInputSize();
    }

    /** The original project's top: global average pooling, dense 512 ReLU, Keras Dropout(0.25), sigmoid output(s). */
    @Override
    public TopSpec defaultTop(int outputs) {
        return TopSpec.sigmoid(TopSpec.Pooling.GLOBAL_AVERAGE, 512, 0.75, outputs);
    }

    @Override
    public String addBase(GraphAssembly g, String input) {
        String x = g.paddedConv("conv1", input, 64, 7, 2, 3);
        x = g.batchNorm("bn_conv1", x, bnEpsilon, BN_MOMENTUM);
        x = g.relu("conv1_relu", x);
        x = g.maxPool("pool1", x, 3, 2, 1);
        for (int s = 0; s < BLOCKS.length; s++) {
            int stage = s + 2;
            for (int b = 0; b < BLOCKS[s]; b++) {
                String block = String.valueOf(stage) + (char) ('a' + b);
                int stride = (b == 0 && stage > 2) ? 2 : 1;
                x = bottleneck(g, x, block, WIDTH[s], stride, b == 0);
            }
        }
        return x;
    }

    private String bottleneck(GraphAssembly g, String input, String block, int width, int stride, boolean projection) {
        String x = g.conv("res" + block + "_branch2a", input, width, 1, stride, Activation.IDENTITY);
        x = g.batchNorm("bn" + block + "_branch2a", x, bnEpsilon, BN_MOMENTUM);
        x = g.relu("res" + block + "_branch2a_relu", x);
        x = g.conv("res" + block + "_branch2b", x, width, 3, 1, Activation.IDENTITY);
        x = g.batchNorm("bn" + block + "_branch2b", x, bnEpsilon, BN_MOMENTUM);
        x = g.relu("res" + block + "_branch2b_relu", x);
        x = g.conv("res" + block + "_branch2c", x, 4 * width, 1, 1, Activation.IDENTITY);
        x = g.batchNorm("bn" + block + "_branch2c", x, bnEpsilon, BN_MOMENTUM);
        String shortcut = input;
        if (projection) {
            shortcut = g.conv("res" + block + "_branch1", input, 4 * width, 1, stride,
                    Activation.IDENTITY);
            shortcut = g.batchNorm("bn" + block + "_branch1", shortcut, bnEpsilon, BN_MOMENTUM);
        }
        String sum = g.add("res" + block, x, shortcut);
        return g.relu("res" + block + "_relu", sum);
    }
}
