package io.img2rec.train.cache;

import io.img2rec.core.config.OptimizerConfig;
import io.img2rec.core.config.TrainConfig;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.model.TopSpec;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.train.loop.ClassWeighting;
import io.img2rec.train.loop.HeadTrainer;
import io.img2rec.train.loop.Optimizers;
import io.img2rec.train.loop.TrainingData;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenTrunkCacheTest {
    private static final int IMAGES = 24;
    private static final int SIZE = 32;
    private static final int PER_IMAGE = SIZE * SIZE * 3;

    @TempDir
    Path dir;

    /** Images held in memory, as a BatchSource. */
    private static BatchSource memory(float[] pixels) {
        return items -> {
            float[] out = new float[items.size() * PER_IMAGE];
            for (int i = 0; i < items.size(); i++) {
                System.arraycopy(pixels, items.get(i).image() * PER_IMAGE, out, i * PER_IMAGE, PER_IMAGE);
            }
            return new BatchSource.LoadedBatch(items, new INDArray[] {Nd4j.create(out, new long[] {items.size(), SIZE, SIZE, 3}, 'c')},
                    Map.of());
        };
    }

    @Test
    void trainingOnTheCacheEqualsTrainingTheFrozenNetworkEveryEpoch() {
        SplittableRandom random = new SplittableRandom(11);
        float[] pixels = new float[IMAGES * PER_IMAGE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        float[][] truth = new float[IMAGES][1];
        for (int i = 0; i < IMAGES; i++) {
            truth[i][0] = i % 3 == 0 ? 1f : 0f;
        }
        var options = new ArchitectureOptions(SIZE, CNN2DFormat.NHWC, 5);
        ComputationGraph full = new ComputationGraph(new TinyCnnArchitecture().configuration(options,
                TopSpec.sigmoid(TopSpec.Pooling.FLATTEN, 8, 0.5, 1)));
        full.init();
        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(3);
        var sgd = new OptimizerConfig(OptimizerConfig.Kind.SGD_MOMENTUM, 0.05, 0.9);
        List<Integer> train = IntStream.range(0, 16).boxed().toList();
        List<Integer> validation = IntStream.range(16, IMAGES).boxed().toList();
        List<CacheItem> originals = IntStream.range(0, IMAGES).mapToObj(i -> new CacheItem(i, CacheItem.ORIGINAL)).toList();
        ClassWeighting weights = ClassWeighting.of(TrainConfig.ClassWeights.BALANCED, new float[][] {{1}, {0}, {0}}, 1);
        long[] epochSeeds = {101, 202};

        // Cached: the trunk runs once; the head trains on its stored activations.
        ComputationGraph head;
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
             FrozenTrunkCache cache = FrozenTrunkCache.build(split.trunk(), split.boundary(), memory(pixels), originals,
                     5, 1 << 20, dir, n -> { })) {
            head = Optimizers.apply(split.head().clone(), sgd);
            var data = new TrainingData(cache, truth, train, validation, 0);
            var trainer = new HeadTrainer(4);
            for (long seed : epochSeeds) {
                trainer.trainEpoch(head, data, weights, seed, n -> { });
            }

            // Naive: the whole network with its frozen layers, recomputed every epoch, same order, class weights and dropout.
            ComputationGraph naive = new TransferLearning.GraphBuilder(full.clone())
                    .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(Optimizers.of(sgd)).build())
                    .setFeatureExtractor(plan.boundary().toArray(String[]::new))
                    .build();
            io.img2rec.core.nativeio.ForwardOnlyHelpers.install(naive);
            weights.applyTo(naive);
            for (long seed : epochSeeds) {
                SplittableRandom epochRandom = new SplittableRandom(seed);
                List<CacheItem> order = data.epochItems(epochRandom);
                Nd4j.getRandom().setSeed(epochRandom.nextLong());
                for (int from = 0; from < order.size(); from += 4) {
                    List<CacheItem> batch = order.subList(from, Math.min(order.size(), from + 4));
                    float[][] t = new float[batch.size()][];
                    for (int i = 0; i < batch.size(); i++) {
                        t[i] = truth[batch.get(i).image()];
                    }
                    INDArray x = memory(pixels).load(new ArrayList<>(batch)).inputs()[0];
                    naive.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {Nd4j.create(t)}));
                }
            }
            int compared = 0;
            for (String layer : List.of("tiny3_conv", "top_dense", "top_output")) {
                INDArray cached = head.getLayer(layer).params();
                INDArray recomputed = naive.getLayer(layer).params();
                double maxDiff = cached.sub(recomputed).amax().getDouble(0);
                assertTrue(maxDiff < 1e-5, layer + " differs by " + maxDiff);
                assertTrue(cached.sub(full.getLayer(layer).params()).amax().getDouble(0) > 1e-4,
                        layer + " was trained");
                compared++;
            }
            assertEquals(3, compared);
        }
    }

    /**
     * Whatever layout this host runs the trunk in ({@code ForwardLayout.host()}: NHWC on an AVX-512 host with oneDNN),
     * an NCHW trunk's cache holds its NCHW activations, to float tolerance.
     */
    @Test
    void cacheOfAnNchwTrunkHoldsItsNchwActivationsInTheHostsLayout() {
        SplittableRandom random = new SplittableRandom(7);
        float[] pixels = new float[IMAGES * PER_IMAGE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        BatchSource nchw = items -> {
            INDArray nhwc = memory(pixels).load(items).inputs()[0];
            return new BatchSource.LoadedBatch(items, new INDArray[] {nhwc.permute(0, 3, 1, 2).dup('c')}, Map.of());
        };
        ComputationGraph full = new TinyCnnArchitecture().create(new ArchitectureOptions(SIZE, CNN2DFormat.NCHW, 5), 1);
        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(3);
        List<CacheItem> originals = IntStream.range(0, IMAGES).mapToObj(i -> new CacheItem(i, CacheItem.ORIGINAL)).toList();
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
             FrozenTrunkCache cache = FrozenTrunkCache.build(split.trunk(), split.boundary(), nchw, originals,
                     5, 1 << 20, dir, n -> { })) {
            INDArray expected = split.trunk().output(false, nchw.load(originals).inputs())[0];
            INDArray cached = cache.batch(originals)[0];
            assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(cached.shape()));
            double scale = expected.amaxNumber().doubleValue();
            double diff = expected.sub(cached).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5 * scale, "cached activations differ by " + diff + " (max " + scale + ")");
        } finally {
            full.close();
        }
    }

    @Test
    void rowsBeyondTheRamBudgetSpillToDiskAndReadBackUnchanged() {
        try (var store = new ActivationStore(4, 2 * 4 * 4, dir.resolve("spill.f32"))) {
            for (int row = 0; row < 5; row++) {
                store.append(new float[] {row, row + 0.5f, -row, 42}, 0);
            }
            assertEquals(5, store.size());
            assertEquals(3, store.spilledRows());
            float[] out = new float[8];
            store.read(4, out, 4);
            assertEquals(4f, out[4]);
            assertEquals(-4f, out[6]);
            store.read(1, out, 0);
            assertEquals(1.5f, out[1]);
        }
        assertTrue(!java.nio.file.Files.exists(dir.resolve("spill.f32")), "spill file removed on close");
    }
}
