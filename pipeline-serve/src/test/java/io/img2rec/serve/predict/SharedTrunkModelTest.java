package io.img2rec.serve.predict;

import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.testing.ServeFixtures;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedTrunkModelTest {
    @TempDir
    Path dir;

    /** Three label models with one trunk (the tiny base) and heads of their own, as one training run writes them. */
    private void writeModelsWithOneTrunk() throws Exception {
        ComputationGraph base = new TinyCnnArchitecture().create(new ArchitectureOptions(32, CNN2DFormat.NHWC, 1), 1);
        Nd4j.getRandom().setSeed(99);
        for (String label : ServeFixtures.LABELS) {
            ComputationGraph model = base.clone();
            for (Layer layer : model.getLayers()) {
                if (!layer.conf().getLayer().getLayerName().startsWith("tiny") && layer.numParams() > 0) {
                    layer.params().assign(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5));
                }
            }
            new CheckpointStore(dir).write(RunLayout.checkpointName("vgg16", label, CheckpointSlot.BEST), model, false,
                    ServeFixtures.sidecar("vgg16", label, 0.5, "bgr_rescale"));
        }
    }

    @Test
    void sharedTrunkGivesTheScoresOfSeparatePasses() throws Exception {
        writeModelsWithOneTrunk();
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            crops.add(io.img2rec.core.image.ImageDecoder.fromBufferedImage(TestImages.noise(50, 60, i)));
        }
        try (ModelRegistry shared = ModelRegistry.load(List.of(dir), List.of(), ServeFixtures.LABELS, true);
             ModelRegistry separate = ModelRegistry.load(List.of(dir), List.of(), ServeFixtures.LABELS, false)) {
            assertEquals(1, shared.models().size());
            SharedTrunkModel model = assertInstanceOf(SharedTrunkModel.class, shared.models().get(0));
            assertTrue(model.sharedVertices().contains("tiny3_pool"), model.sharedVertices().toString());
            assertEquals(3, separate.models().size());
            var a = new EnsembleAverager(shared.models(), java.util.Map.of()).score(crops);
            var b = new EnsembleAverager(separate.models(), java.util.Map.of()).score(crops);
            for (int c = 0; c < crops.size(); c++) {
                for (String label : ServeFixtures.LABELS) {
                    assertEquals(b.get(c).averaged().get(label), a.get(c).averaged().get(label), 1e-6);
                }
            }
            // heads differ, so the labels do not all score alike
            assertTrue(a.get(0).averaged().values().stream().distinct().count() > 1);
        }
    }

    @Test
    void modelsWithDifferentTrunksStaySeparate() throws Exception {
        ServeFixtures.writeTiny(dir, "vgg16", "hat", 1);
        ServeFixtures.writeTiny(dir, "vgg16", "beard", 2);
        try (ModelRegistry registry = ModelRegistry.load(List.of(dir), List.of(), List.of(), true)) {
            assertEquals(2, registry.models().size());
        }
    }
}
