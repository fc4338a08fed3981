package io.img2rec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InferenceTrunkTest {

    private static final ForwardLayout NHWC = new ForwardLayout(Optional.of(CNN2DFormat.NHWC), "test");
    private static final ForwardLayout NCHW = new ForwardLayout(Optional.of(CNN2DFormat.NCHW), "test");
    private static final ForwardLayout TRAINED = ForwardLayout.asTrained("test");

    @Test
    void tinyCnnTrunkGivesTheSameActivationsInNhwcAsInNchw() {
        assertTwinAgrees(Backbone.TINY_CNN, 32, 5, 4, 0);
    }

    @Test
    void vgg16TrunkGivesTheSameActivationsInNhwcAsInNchw() {
        assertTwinAgrees(Backbone.VGG16, 48, 5, 2, 0);
    }

    @Test
    void resNet50TrunkWithTwoBoundaryOutputsAndBatchNormGivesTheSameActivationsInNhwc() {
        // every batch norm of the trunk sits behind its own convolution (52 of the 53: the last 5 layers are the head's)
        assertTwinAgrees(Backbone.RESNET50, 64, 5, 2, 52);
    }

    /** Trunk = everything below the last {@code trainable} layers; compares its NCHW output with the NHWC twin's. */
    private static void assertTwinAgrees(Backbone backbone, int side, int trainable, int batch, int expectedFolds) {
        Architecture arch = backbone.architecture();
        ComputationGraph full = arch.create(new ArchitectureOptions(side, CNN2DFormat.NCHW, 3), 1);
        randomiseBatchNormStatistics(full);
        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(trainable);
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
             InferenceTrunk twin = InferenceTrunk.of(split.trunk(), NHWC);
             InferenceTrunk asIs = InferenceTrunk.of(split.trunk(), TRAINED)) {
            assertTrue(twin.runsTwin(), twin.describe());
            assertEquals(CNN2DFormat.NHWC, twin.runFormat());
            assertEquals(expectedFolds, twin.foldedBatchNorms(), twin.describe());
            assertEquals(0, asIs.foldedBatchNorms());
            assertFalse(asIs.runsTwin());
            assertEquals(CNN2DFormat.NCHW, asIs.runFormat());
            Nd4j.getRandom().setSeed(11);
            INDArray images = Nd4j.rand(DataType.FLOAT, batch, 3, side, side).muli(2).subi(1);
            INDArray[] expected = split.trunk().output(false, images);
            INDArray[] viaAsIs = asIs.output(images);
            INDArray[] viaTwin = twin.output(images);
            assertEquals(plan.boundary().size(), viaTwin.length);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i].shape(), viaTwin[i].shape(), "output " + plan.boundary().get(i));
                assertEquals(0.0, expected[i].sub(viaAsIs[i]).amaxNumber().doubleValue(), "run as it is");
                double scale = Math.max(expected[i].amaxNumber().doubleValue(), 1e-6);
                double relative = expected[i].sub(viaTwin[i]).amaxNumber().doubleValue() / scale;
                assertTrue(relative < 1e-4, backbone + " output " + plan.boundary().get(i) + ": max |NCHW - NHWC| / "
                        + "max |NCHW| = " + relative);
            }
            // inputs are left as they were
            assertArrayEquals(new long[] {batch, 3, side, side}, images.shape());
        } finally {
            full.close();
        }
    }

    /** Non-trivial running statistics, so a wrongly laid-out mean, variance, gamma or beta would show. */
    static void randomiseBatchNormStatistics(ComputationGraph graph) {
        Nd4j.getRandom().setSeed(5);
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                layer.paramTable().forEach((key, value) -> {
                    INDArray r = Nd4j.rand(DataType.FLOAT, value.shape());
                    value.assign(key.equals("var") ? r.addi(0.5) : r.subi(0.5));
                });
            }
        }
    }

    @Test
    void nhwcTrunkRunsAnNchwTwinWhenAsked() {
        ComputationGraph base = new ComputationGraph(Backbone.TINY_CNN.architecture()
                .baseConfiguration(new ArchitectureOptions(32, CNN2DFormat.NHWC, 3)));
        base.init();
        try (InferenceTrunk twin = InferenceTrunk.of(base, NCHW)) {
            assertEquals(CNN2DFormat.NCHW, twin.runFormat());
            INDArray images = Nd4j.rand(DataType.FLOAT, 2, 32, 32, 3);
            INDArray expected = base.outputSingle(false, images);
            INDArray got = twin.output(images)[0];
            assertArrayEquals(expected.shape(), got.shape());
            assertTrue(expected.sub(got).amaxNumber().doubleValue() <= 1e-4 * expected.amaxNumber().doubleValue());
        } finally {
            base.close();
        }
    }

    @Test
    void graphWithAHeadRunsAsItIs() {
        ComputationGraph full = Backbone.TINY_CNN.architecture().create(
                new ArchitectureOptions(32, CNN2DFormat.NCHW, 3), 1);
        try (InferenceTrunk trunk = InferenceTrunk.of(full, NHWC)) {
            assertFalse(trunk.runsTwin());
            assertTrue(trunk.describe().contains("is not a spatial layer"), trunk.describe());
            INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
            assertEquals(0.0, full.outputSingle(false, images).sub(trunk.output(images)[0]).amaxNumber().doubleValue());
        } finally {
            full.close();
        }
    }

    @Test
    void theRuleTakesNhwcWithOneDnnOnAvx512Only() {
        Set<String> avx512 = Set.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd");
        Set<String> avx2 = Set.of("avx2", "fma");
        assertEquals(Optional.of(CNN2DFormat.NHWC), ForwardLayout.choose(null, true, avx512).format());
        assertEquals("oneDNN, AVX-512", ForwardLayout.choose("auto", true, avx512).reason());
        assertEquals(Optional.empty(), ForwardLayout.choose(null, true, avx2).format());
        assertEquals(Optional.empty(), ForwardLayout.choose(null, false, avx512).format());
        assertEquals(Optional.empty(), ForwardLayout.choose(null, true, Set.of()).format());
        assertEquals(Optional.empty(), ForwardLayout.choose(null, true, Set.of("avx512f", "avx2")).format(),
                "AVX-512 F alone (Xeon Phi) is not oneDNN's avx512_core");
        assertEquals(CNN2DFormat.NCHW, ForwardLayout.choose(null, true, avx2).formatFor(CNN2DFormat.NCHW));
        assertEquals(CNN2DFormat.NHWC, ForwardLayout.choose(null, true, avx512).formatFor(CNN2DFormat.NCHW));
    }

    @Test
    void theSystemPropertyOverridesTheRule() {
        Set<String> avx512 = Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq");
        assertEquals(Optional.of(CNN2DFormat.NCHW), ForwardLayout.choose("nchw", true, avx512).format());
        assertEquals(Optional.of(CNN2DFormat.NHWC), ForwardLayout.choose("NHWC", false, Set.of()).format());
        assertEquals(Optional.empty(), ForwardLayout.choose("trained", true, avx512).format());
        assertTrue(ForwardLayout.choose("nchw", true, avx512).describe().contains(ForwardLayout.PROPERTY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForwardLayout.choose("fast", true, avx512));
        assertTrue(e.getMessage().contains(ForwardLayout.PROPERTY) && e.getMessage().contains("'fast'")
                && e.getMessage().contains("nhwc"), e.getMessage());
    }

    @Test
    void theHostDecidesOnceAndSaysWhy() {
        ForwardLayout host = ForwardLayout.host();
        assertSame(host, ForwardLayout.host());
        assertFalse(host.reason().isBlank());
        List<String> allowed = List.of("in NHWC", "in NCHW", "in the layout each model trains in");
        assertTrue(allowed.stream().anyMatch(host.describe()::startsWith), host.describe());
    }
}
