package io.img2rec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN engine against DL4J's own forward pass of the same graph: the architectures' trunks with random
 * weights (and random batch-norm statistics), several batch sizes through one trunk (one plan each, buffers
 * re-used between calls), both layouts in and out, and the graphs it must leave to DL4J.
 */
class OneDnnTrunkTest {

    private static final ForwardLayout TRAINED = ForwardLayout.asTrained("test");
    private static final ForwardEngine ONEDNN = ForwardEngine.oneDnn("test", true);
    private static final ForwardEngine DIRECT = ForwardEngine.oneDnn("test", false);

    @Test
    void oneDnnLoadsOnThisProjectsPlatform() {
        assertTrue(OneDnnTrunk.available().loaded(), OneDnnTrunk.available().detail());
        assertTrue(OneDnnTrunk.available().detail().startsWith("oneDNN 2.5.2"), OneDnnTrunk.available().detail());
    }

    @Test
    void vgg16TrunkMatchesDl4jAtSeveralBatchSizes() {
        assertMatchesDl4j(Backbone.VGG16, 48, 5, CNN2DFormat.NCHW, 0, 1, 3, 1);
    }

    @Test
    void resNet50TrunkWithFoldedBatchNormsAndTwoOutputsMatchesDl4j() {
        // conv1's padding, strided 1x1 shortcuts, padded max pooling, sums with their ReLU fused, two outputs
        assertMatchesDl4j(Backbone.RESNET50, 64, 5, CNN2DFormat.NCHW, 52, 2, 1);
    }

    @Test
    void nhwcGraphTakesAndGivesNhwc() {
        assertMatchesDl4j(Backbone.TINY_CNN, 32, 5, CNN2DFormat.NHWC, 0, 2);
    }

    private static void assertMatchesDl4j(Backbone backbone, int side, int trainable, CNN2DFormat format,
                                          int expectedFolds, int... batches) {
        ComputationGraph full = backbone.architecture().create(new ArchitectureOptions(side, format, 3), 1);
        InferenceTrunkTest.randomiseBatchNormStatistics(full);
        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(trainable);
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
             InferenceTrunk direct = InferenceTrunk.of(split.trunk(), TRAINED, ONEDNN)) {
            assertTrue(direct.runsOneDnn(), direct.describe());
            assertFalse(direct.runsTwin());
            assertEquals(expectedFolds, BatchNormFolding.pairs(split.trunk().getConfiguration()).size());
            int seed = 20;
            for (int batch : batches) {
                Nd4j.getRandom().setSeed(seed++);
                long[] shape = format == CNN2DFormat.NHWC ? new long[] {batch, side, side, 3}
                        : new long[] {batch, 3, side, side};
                INDArray images = Nd4j.rand(DataType.FLOAT, shape).muli(2).subi(1);
                INDArray before = images.dup();
                INDArray[] expected = split.trunk().output(false, images);
                INDArray[] got = direct.output(images);
                assertEquals(plan.boundary().size(), got.length);
                for (int i = 0; i < expected.length; i++) {
                    assertArrayEquals(expected[i].shape(), got[i].shape(), "output " + plan.boundary().get(i));
                    double scale = Math.max(expected[i].amaxNumber().doubleValue(), 1e-6);
                    double relative = expected[i].sub(got[i]).amaxNumber().doubleValue() / scale;
                    assertTrue(relative < 1e-4, backbone + " batch " + batch + " output " + plan.boundary().get(i)
                            + ": max |DL4J - oneDNN| / max |DL4J| = " + relative);
                    assertTrue(expected[i].amaxNumber().doubleValue() > 0, "a trunk that outputs zeros proves nothing");
                }
                assertEquals(before, images, "the input is left as it was");
            }
        } finally {
            full.close();
        }
    }

    @Test
    void dispatchesWhatTheCpuHasLessAnyCap() {
        String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
        if ("AVX2".equals(cap)) { // pipeline-core's avx2-dispatch test run
            assertFalse(OneDnnTrunk.dispatchesAvx512Core(), OneDnnTrunk.available().detail());
            assertTrue(OneDnnTrunk.available().detail().endsWith("avx2"), OneDnnTrunk.available().detail());
        } else {
            assertEquals(ForwardLayout.cpuFlags().containsAll(ForwardLayout.AVX512_CORE),
                    OneDnnTrunk.dispatchesAvx512Core(), OneDnnTrunk.available().detail());
        }
    }

    @Test
    void winogradRunsWhereTheCpuHasItAndAgreesWithTheDirectKernels() throws Exception {
        ComputationGraph base = base(Backbone.VGG16, 48);
        try (OneDnnTrunk wino = OneDnnTrunk.compile(base, CNN2DFormat.NCHW, true);
             OneDnnTrunk direct = OneDnnTrunk.compile(base, CNN2DFormat.NCHW, false)) {
            Nd4j.getRandom().setSeed(4);
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 48, 48);
            INDArray a = wino.output(x)[0];
            INDArray b = direct.output(x)[0];
            double relative = a.sub(b).amaxNumber().doubleValue() / b.amaxNumber().doubleValue();
            assertTrue(relative < 1e-4, "Winograd vs direct: " + relative);
            boolean hasWinograd = wino.implementations().stream().anyMatch(i -> i.contains("wino"));
            // oneDNN 2.5's f32 Winograd kernels need avx512_core; block1_conv1 (3 input channels) always runs direct.
            // What oneDNN dispatches to, not the CPU's flags: the avx2-dispatch test run caps it at AVX2.
            assertEquals(OneDnnTrunk.dispatchesAvx512Core(), hasWinograd,
                    wino.implementations().toString());
            assertTrue(wino.implementations().stream().anyMatch(i -> i.contains("brgconv") || i.contains("jit")),
                    wino.implementations().toString());
            assertFalse(direct.implementations().stream().anyMatch(i -> i.contains("wino")),
                    direct.implementations().toString());
        } finally {
            base.close();
        }
    }

    @Test
    void winogradWeightsStayWithinTheirBudgetAcrossBatchSizes() throws Exception {
        ComputationGraph base = base(Backbone.VGG16, 48);
        long plain = 4L * base.numParams(); // weights and biases: a little more than the convolutions' weights
        try (OneDnnTrunk trunk = OneDnnTrunk.compile(base, CNN2DFormat.NCHW, true)) {
            assertTrue(trunk.winogradBudget() <= OneDnnTrunk.WINOGRAD_WEIGHT_BUDGET * plain);
            Nd4j.getRandom().setSeed(6);
            for (int batch : new int[] {1, 2, 3, 4, 5, 8, 16}) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 48, 48);
                assertTrue(base.outputSingle(false, x).equalsWithEps(trunk.output(x)[0], 1e-3), "batch " + batch);
                // Winograd copies only up to the budget; direct copies (one layout here) on top of it
                assertTrue(trunk.weightBytes() <= trunk.winogradBudget() + plain,
                        "batch " + batch + ": " + trunk.weightBytes() + " bytes of weights, budget "
                                + trunk.winogradBudget());
            }
        } finally {
            base.close();
        }
    }

    @Test
    void directKernelsAloneMatchDl4j() {
        ComputationGraph base = base(Backbone.VGG16, 48);
        try (InferenceTrunk trunk = InferenceTrunk.of(base, TRAINED, DIRECT)) {
            assertTrue(trunk.describe().contains("(direct)"), trunk.describe());
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 48, 48);
            INDArray expected = base.outputSingle(false, x);
            double relative = expected.sub(trunk.output(x)[0]).amaxNumber().doubleValue()
                    / expected.amaxNumber().doubleValue();
            assertTrue(relative < 1e-5, "direct vs DL4J: " + relative);
        } finally {
            base.close();
        }
    }

    @Test
    void aViewOrAnotherOrderAsInputIsCopiedNotMisread() {
        ComputationGraph full = Backbone.TINY_CNN.architecture().create(
                new ArchitectureOptions(32, CNN2DFormat.NCHW, 3), 1);
        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(5);
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
             InferenceTrunk direct = InferenceTrunk.of(split.trunk(), TRAINED, ONEDNN)) {
            Nd4j.getRandom().setSeed(3);
            INDArray four = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
            INDArray view = four.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4)); // rows 2-3, offset > 0
            INDArray fortran = four.dup('f');
            INDArray expectedView = split.trunk().output(false, view.dup('c'))[0];
            INDArray expectedAll = split.trunk().output(false, four)[0];
            assertTrue(expectedView.equalsWithEps(direct.output(view)[0], 1e-4));
            assertTrue(expectedAll.equalsWithEps(direct.output(fortran)[0], 1e-4));
        } finally {
            full.close();
        }
    }

    @Test
    void aLayerItDoesNotTranslateLeavesTheGraphToDl4jAndSaysWhich() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), "in")
                .setOutputs("c1").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        try (InferenceTrunk trunk = InferenceTrunk.of(graph, TRAINED, ONEDNN)) {
            assertFalse(trunk.runsOneDnn());
            assertTrue(trunk.describe().contains("not on oneDNN directly: layer 'c1': activation"), trunk.describe());
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
            assertEquals(graph.outputSingle(false, x), trunk.output(x)[0]);
        } finally {
            graph.close();
        }
    }

    @Test
    void theEngineRuleAndItsProperty() {
        OneDnnTrunk.Availability here = new OneDnnTrunk.Availability(true, "oneDNN 2.5.2");
        OneDnnTrunk.Availability none = new OneDnnTrunk.Availability(false, "UnsatisfiedLinkError: no jnidnnl");
        ForwardEngine.Use train = ForwardEngine.Use.TRAINING;
        ForwardEngine.Use serve = ForwardEngine.Use.SERVING;
        assertTrue(ForwardEngine.choose(null, null, here, train).direct());
        assertFalse(ForwardEngine.choose(null, null, here, train).winograd(), "training keeps DL4J's kernels' bits");
        assertFalse(ForwardEngine.choose(null, null, here, serve).winograd(), "scores independent of the batch");
        assertTrue(ForwardEngine.choose(null, "serving", here, serve).winograd());
        assertFalse(ForwardEngine.choose(null, "serving", here, train).winograd());
        assertTrue(ForwardEngine.choose(" Auto ", null, here, serve).direct());
        assertTrue(ForwardEngine.choose(null, " ALWAYS", here, train).winograd());
        assertFalse(ForwardEngine.choose(null, "never", here, serve).winograd());
        assertTrue(ForwardEngine.choose(null, "always", here, serve).describe().contains("Winograd where it has it"));
        assertTrue(ForwardEngine.choose(null, null, here, serve).describe().contains("direct convolutions"));
        assertFalse(ForwardEngine.choose(null, null, none, serve).direct());
        assertTrue(ForwardEngine.choose(null, null, none, serve).describe().contains("no jnidnnl"));
        assertFalse(ForwardEngine.choose("dl4j", null, here, serve).direct());
        assertTrue(ForwardEngine.choose("onednn", null, here, train).direct());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ForwardEngine.choose("onednn", null, none, train));
        assertTrue(missing.getMessage().contains(ForwardEngine.PROPERTY), missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ForwardEngine.choose("mkl", null, here, train));
        assertTrue(unknown.getMessage().contains("allowed: auto, onednn, dl4j"), unknown.getMessage());
        IllegalArgumentException badWinograd = assertThrows(IllegalArgumentException.class,
                () -> ForwardEngine.choose(null, "yes", here, train));
        assertTrue(badWinograd.getMessage().contains(ForwardEngine.WINOGRAD_PROPERTY + "='yes'"),
                badWinograd.getMessage());
        assertTrue(badWinograd.getMessage().contains("allowed: never, serving, always"), badWinograd.getMessage());
    }

    @Test
    void closingTwiceIsHarmlessAndAClosedTrunkSaysSo() throws Exception {
        ComputationGraph base = base(Backbone.TINY_CNN, 32);
        try {
            OneDnnTrunk trunk = OneDnnTrunk.compile(base, CNN2DFormat.NCHW);
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
            assertTrue(base.outputSingle(false, x).equalsWithEps(trunk.output(x)[0], 1e-4));
            List<String> impls = trunk.implementations();
            assertFalse(impls.isEmpty());
            trunk.close();
            trunk.close();
            assertThrows(IllegalStateException.class, () -> trunk.output(x));
        } finally {
            base.close();
        }
    }

    @Test
    void plansForSmallerBatchesReuseTheLargerPlansActivationBuffers() throws Exception {
        ComputationGraph base = base(Backbone.VGG16, 48);
        try (OneDnnTrunk trunk = OneDnnTrunk.compile(base, CNN2DFormat.NCHW)) {
            Nd4j.getRandom().setSeed(9);
            INDArray four = Nd4j.rand(DataType.FLOAT, 4, 3, 48, 48);
            INDArray one = Nd4j.rand(DataType.FLOAT, 1, 3, 48, 48);
            trunk.output(four);
            long forFour = trunk.activationBytes();
            // 64 channels x 48 x 48 floats x 4 images, in and out of block1_conv2 at least
            assertTrue(forFour >= 2L * 4 * 64 * 48 * 48 * 4, "bytes " + forFour);
            INDArray got = trunk.output(one)[0];
            assertEquals(forFour, trunk.activationBytes(), "batch 1 fits in batch 4's buffers");
            assertTrue(base.outputSingle(false, one).equalsWithEps(got, 1e-4));
            assertTrue(base.outputSingle(false, four).equalsWithEps(trunk.output(four)[0], 1e-4),
                    "the batch-4 plan still reads its own activations after the batch-1 plan ran");
        } finally {
            base.close();
        }
    }

    /** A convolutional base alone, NCHW, initialised with random weights. */
    private static ComputationGraph base(Backbone backbone, int side) {
        ComputationGraph base = new ComputationGraph(backbone.architecture()
                .baseConfiguration(new ArchitectureOptions(side, CNN2DFormat.NCHW, 3)));
        base.init();
        return base;
    }
}
