package io.img2rec.core.model;

import org.nd4j.linalg.activations.Activation;

/**
 * VGG16's convolutional base with Keras layer names ({@code block1_conv1} … {@code block5_pool}): 3×3 'same'
 * convolutions with ReLU, 2×2/2 max pooling. At 150×150 {@code block5_pool} is 4×4×512. The default top is the
 * original project's: flatten, dense 256 ReLU, dropout 0.5, sigmoid output(s).
 */
public final class Vgg16Architecture implements Architecture {

    private static final int[] FILTERS = {64, 128, 256, 512, 512};
    private static final int[] CONVS = {2, 2, 3, 3, 3};

    @Override
    public String name() {
        return "vgg16";
    }

    @Override
    public int defaultInputSize() {
        return Backbone.VGG16.defaultInputSize();
    }

    @Override
    public TopSpec defaultTop(int outputs) {
        return TopSpec.sigmoid(TopSpec.Pooling.FLATTEN, 256, 0.5, outputs);
    }

    @Override
    public String addBase(GraphAssembly graph, String input) {
        String last = input;
        for (int block = 1; block <= FILTERS.length; block++) {
            for (int conv = 1; conv <= CONVS[block - 1]; conv++) {
                last = graph.conv("block" + block + "_conv" + conv, last, FILTERS[block - 1], 3, 1, Activation.RELU);
            }
            last = graph.maxPool("block" + block + "_pool", last, 2, 2, 0);
        }
        return last;
    }
}
