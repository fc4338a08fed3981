package io.img2rec.core.model;

import org.nd4j.linalg.activations.Activation;

/**
 * A three-block CNN standing in for VGG16 in tests where the architecture is not the point: {@code tiny1_conv},
 * {@code tiny1_pool} … {@code tiny3_pool} (8, 16, 16 filters), then the VGG-style top (flatten, dense 16, dropout 0.5).
 * Default input 32×32 (4×4×16 after the base).
 */
public final class TinyCnnArchitecture implements Architecture {

    private static final int[] FILTERS = {8, 16, 16};

    @Override
    public String name() {
        return "tinycnn";
    }

    @Override
    public int defaultInputSize() {
        return 32;
    }

    @Override
    public TopSpec defaultTop(int outputs) {
        return TopSpec.sigmoid(TopSpec.Pooling.FLATTEN, 16, 0.5, outputs);
    }

    @Override
    public String addBase(GraphAssembly graph, String input) {
        String last = input;
        for (int block = 1; block <= FILTERS.length; block++) {
            last = graph.conv("tiny" + block + "_conv", last, FILTERS[block - 1], 3, 1, Activation.RELU);
            last = graph.maxPool("tiny" + block + "_pool", last, 2, 2, 0);
        }
        return last;
    }
}
