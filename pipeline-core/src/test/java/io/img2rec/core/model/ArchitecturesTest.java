package io.img2rec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArchitecturesTest {

    private static final long SEED = 12345;

    @Test
    void resNet50ParameterCountsMatchKeras() {
        Architecture resnet = Backbone.RESNET50.architecture();
        ArchitectureOptions options = ArchitectureOptions.defaults(resnet, SEED);
        // Keras counts moving mean/variance as non-trainable parameters; DL4J keeps them as BN params: same total.
        assertEquals(23_587_712L, numParams(resnet.baseConfiguration(options)));
        assertEquals(25_636_712L, numParams(resnet.configuration(options, TopSpec.imagenet(1000))));
    }

    @Test
    void resNet50ShapesAt224AreStandard() {
        Architecture resnet = Backbone.RESNET50.architecture();
        Map<String, InputType> types = resnet.configuration(ArchitectureOptions.defaults(resnet, SEED), 1)
                .getLayerActivationTypes(InputType.convolutional(224, 224, 3, CNN2DFormat.NHWC));
        assertConv(types, "conv1", 112, 64);
        assertConv(types, "pool1", 56, 64);
        assertConv(types, "res2c_relu", 56, 256);
        assertConv(types, "res3a_branch2a", 28, 128);
        assertConv(types, "res3a_branch1", 28, 512);
        assertConv(types, "res4f_relu", 14, 1024);
        assertConv(types, "res5c_relu", 7, 2048);
        assertEquals(2048, types.get(GraphAssembly.TOP_POOL).arrayElementsPerExample());
        assertEquals(512, types.get(GraphAssembly.TOP_DENSE).arrayElementsPerExample());
    }

    @Test
    void vgg16Block5PoolIs4x4x512At150WithOriginalTop() {
        Architecture vgg = Backbone.VGG16.architecture();
        ArchitectureOptions options = ArchitectureOptions.defaults(vgg, SEED);
        ComputationGraphConfiguration conf = vgg.configuration(options, 1);
        assertConv(conf.getLayerActivationTypes(InputType.convolutional(150, 150, 3, CNN2DFormat.NHWC)),
                "block5_pool", 4, 512);
        assertEquals(14_714_688L, numParams(vgg.baseConfiguration(options)));
        assertEquals(14_714_688L + 4 * 4 * 512 * 256 + 256 + 257, numParams(conf));
    }

    @Test
    void vgg16LastFiveLayersAreBlock5AndTheTop() {
        FreezePlan plan = GraphTopology.of(configured(Backbone.VGG16.architecture(), 150, 1)).lastLayersTrainable(5);
        assertEquals(List.of("block5_conv1", "block5_conv2", "block5_conv3", "block5_pool",
                GraphAssembly.TOP_DENSE, GraphAssembly.TOP_DROPOUT, GraphAssembly.TOP_OUTPUT), plan.trainable());
        assertEquals(List.of("block4_pool"), plan.boundary());
        assertEquals(List.of(GraphAssembly.TOP_DENSE, GraphAssembly.TOP_DROPOUT, GraphAssembly.TOP_OUTPUT), plan.head());
        assertEquals(List.of("block5_pool"),
                GraphTopology.of(configured(Backbone.VGG16.architecture(), 150, 1)).headInputs());
    }

    @Test
    void resNet50LastFiveLayersHaveTwoBoundaryInputs() {
        GraphTopology topology = GraphTopology.of(configured(Backbone.RESNET50.architecture(), 224, 1));
        FreezePlan plan = topology.lastLayersTrainable(5);
        assertEquals(List.of("res5c_branch2c", "bn5c_branch2c", "res5c", "res5c_relu", GraphAssembly.TOP_POOL,
                GraphAssembly.TOP_DENSE, GraphAssembly.TOP_DROPOUT, GraphAssembly.TOP_OUTPUT), plan.trainable());
        assertEquals(List.of("res5b_relu", "res5c_branch2b_relu"), plan.boundary());
        assertEquals(List.of("res5c_relu"), topology.headInputs());
        assertEquals(List.of("res5c_relu"), topology.lastLayersTrainable(1).boundary());
    }

    @Test
    void trainableCountOutsideTheBaseIsRejected() {
        GraphTopology topology = GraphTopology.of(configured(new TinyCnnArchitecture(), 32, 1));
        assertThrows(IllegalArgumentException.class, () -> topology.lastLayersTrainable(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> topology.lastLayersTrainable(8));
        assertTrue(e.getMessage().contains("[1, 6]"), e.getMessage());
    }

    @Test
    void tinyCnnTrunkThenHeadEqualsFullGraphInBothLayouts() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            for (int n = 1; n <= 4; n++) {
                assertSplitMatchesFull(new TinyCnnArchitecture(), new ArchitectureOptions(32, format, SEED), 3, n);
            }
        }
    }

    @Test
    void resNet50TrunkThenHeadEqualsFullGraphAtSmallInput() {
        ArchitectureOptions options = new ArchitectureOptions(64, CNN2DFormat.NHWC, SEED);
        assertSplitMatchesFull(Backbone.RESNET50.architecture(), options, 1, 5);
        assertSplitMatchesFull(Backbone.RESNET50.architecture(), options, 1, 12);
    }

    @Test
    void multilabelHeadHasOneSigmoidPerLabel() {
        {
            ComputationGraph graph = new TinyCnnArchitecture().create(
                ArchitectureOptions.defaults(new TinyCnnArchitecture(), SEED), 3);
            INDArray out = graph.outputSingle(false, Nd4j.rand(DataType.FLOAT, 2, 32, 32, 3));
            assertArrayEquals(new long[] {2, 3}, out.shape());
            assertTrue(out.minNumber().doubleValue() > 0 && out.maxNumber().doubleValue() < 1);
        }
    }

    @Test
    void copyParamsNamesTheLayerThatDoesNotFit() {
        Architecture tiny = new TinyCnnArchitecture();
        {
            ComputationGraph one = tiny.create(ArchitectureOptions.defaults(tiny, 1), 1);
            ComputationGraph three = tiny.create(ArchitectureOptions.defaults(tiny, 2), 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParameterTransfer.copyParams(one, three));
            assertTrue(e.getMessage().contains("'" + GraphAssembly.TOP_OUTPUT + "'"), e.getMessage());
        }
    }

    @Test
    void copyParamsMakesSameSeedlessGraphsAgree() {
        Architecture tiny = new TinyCnnArchitecture();
        {
            ComputationGraph a = tiny.create(ArchitectureOptions.defaults(tiny, 1), 1);
            ComputationGraph b = tiny.create(ArchitectureOptions.defaults(tiny, 2), 1);
            List<String> copied = ParameterTransfer.copyParams(a, b);
            assertEquals(5, copied.size());
            assertEquals(a.params(), b.params());
        }
    }

    private static void assertSplitMatchesFull(Architecture arch, ArchitectureOptions options, int outputs, int n) {
        {
            ComputationGraph full = arch.create(options, outputs);
            FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(n);
            Nd4j.getRandom().setSeed(SEED + n);
            int s = options.inputSize();
            long[] shape = options.format() == CNN2DFormat.NHWC ? new long[] {3, s, s, 3} : new long[] {3, 3, s, s};
            INDArray images = Nd4j.rand(DataType.FLOAT, shape);
            INDArray expected = full.outputSingle(false, images);
            try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan)) {
                INDArray[] boundary = split.trunkActivations(images);
                assertEquals(plan.boundary().size(), boundary.length);
                INDArray actual = split.head().outputSingle(false, boundary);
                double diff = expected.sub(actual).amaxNumber().doubleValue();
                assertTrue(diff <= 1e-5, arch.name() + " " + options.format() + " n=" + n + ": max |diff| " + diff);
            }
        }
    }

    private static ComputationGraphConfiguration configured(Architecture arch, int size, int outputs) {
        return arch.configuration(new ArchitectureOptions(size, CNN2DFormat.NHWC, SEED), outputs);
    }

    private static long numParams(ComputationGraphConfiguration conf) {
        {
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            return graph.numParams();
        }
    }

    private static void assertConv(Map<String, InputType> types, String vertex, int side, int channels) {
        InputTypeConvolutional t = (InputTypeConvolutional) types.get(vertex);
        assertEquals(List.of(side, side, channels), List.of((int) t.getHeight(), (int) t.getWidth(), (int) t.getChannels()),
                vertex + " h, w, c");
    }
}
