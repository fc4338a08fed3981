package io.img2rec.bench;

import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.ParameterTransfer;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.core.nativeio.ForwardOnlyHelpers;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.FrozenTrunkCache;
import io.img2rec.train.loop.ClassWeighting;
import io.img2rec.train.loop.HeadTrainer;
import io.img2rec.train.loop.Optimizers;
import io.img2rec.train.loop.TrainingData;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The two-phase training of one binary label on N images (phase 1: top only; phase 2: last 5 layers), each epoch
 * followed by a validation pass, run two ways: img2rec's way (frozen trunk run once per image into a
 * {@link FrozenTrunkCache}, bottleneck features once more for phase 1, {@link HeadTrainer} on the caches) and the
 * naive way (the whole network with frozen layers, so every epoch recomputes the frozen layers). Augmentation is left
 * out of both measured runs; the extrapolation to the full recipe adds it where each design pays for it.
 */
final class RecipeBench {
    /** The original recipe: 3 labels, 50 + 50 epochs, 4 augmented copies per training image, 653 photos. */
    static final int RECIPE_LABELS = 3;
    static final int RECIPE_EPOCHS = 50;
    static final int RECIPE_COPIES = 4;
    static final int RECIPE_IMAGES = 653;

    private RecipeBench() {
    }

    static List<Measurement> run(BenchSize size, List<Backbone> backbones) {
        List<Measurement> out = new ArrayList<>();
        for (Backbone backbone : backbones) {
            out.addAll(run(size, backbone));
        }
        return out;
    }

    private static List<Measurement> run(BenchSize size, Backbone backbone) {
        int n = size.recipeImages();
        int validationCount = Math.max(2, n / 8);
        List<Integer> train = IntStream.range(0, n - validationCount).boxed().toList();
        List<Integer> validation = IntStream.range(n - validationCount, n).boxed().toList();
        float[][] truth = new float[n][1];
        for (int i = 0; i < n; i++) {
            truth[i][0] = i % 2;
        }
        int side = BenchModels.inputSize(backbone, size);
        CNN2DFormat layout = BenchModels.trainingLayout(backbone);
        var images = new InMemoryImages(BenchModels.images(n, side, layout, 5));
        ComputationGraph full = BenchModels.full(backbone, size, layout, WorkspaceMode.ENABLED);
        GraphTopology topology = GraphTopology.of(full.getConfiguration());
        FreezePlan plan = topology.lastLayersTrainable(TrainStepBench.TRAINABLE_LAYERS);
        String name = String.format(Locale.ROOT, "recipe/%s@%d/N%d/E%d+%d/%s", backbone.configName(), side, n,
                size.recipeEpochs(), size.recipeEpochs(), layout);
        int e = size.recipeEpochs();

        Cached cached = cached(full, plan, images, truth, train, validation, size);
        Measurement c = Measurement.timed("recipe", name + "/cached", "img2rec cache", n * e * 2,
                        new double[] {cached.total()})
                .with("cache_fill_s", cached.cacheSeconds)
                .with("features_s", cached.featureSeconds)
                .with("phase1_s", cached.phase1Seconds)
                .with("phase2_s", cached.phase2Seconds);
        Progress.log(c);
        Naive naive = naive(full, topology.headInputs(), plan, images, truth, train, validation, size);
        Measurement v = Measurement.timed("recipe", name + "/naive", "recompute frozen layers", n * e * 2,
                        new double[] {naive.total()})
                .with("phase1_s", naive.phase1Seconds)
                .with("phase2_s", naive.phase2Seconds);
        Progress.log(v);
        full.close();

        // Per image (or image-epoch, validation included) costs, scaled to the full recipe: an extrapolation.
        double perTrunk = cached.cacheSeconds / n;
        double perFeature = cached.featureSeconds / n;
        double perCachedEpoch = (cached.phase1Seconds + cached.phase2Seconds) / ((double) e * n);
        double perNaiveEpoch = (naive.phase1Seconds + naive.phase2Seconds) / ((double) e * n);
        double trainShare = (double) train.size() / n;
        double recipeCached = RECIPE_IMAGES * (1 + RECIPE_COPIES * trainShare) * perTrunk
                + RECIPE_IMAGES * perFeature
                + (double) RECIPE_LABELS * RECIPE_EPOCHS * RECIPE_IMAGES * perCachedEpoch;
        double recipeNaive = (double) RECIPE_LABELS * RECIPE_EPOCHS * RECIPE_IMAGES * perNaiveEpoch;
        Measurement x = new Measurement("recipe", name + "/extrapolated", "3 labels x (50+50) epochs, K=4, 653 images",
                0, new double[0], java.util.Map.of())
                .with("cached_s", recipeCached)
                .with("naive_s", recipeNaive)
                .with("speedup", recipeNaive / recipeCached)
                .with("arithmetic_bound", arithmeticBound(full, plan, topology, side, layout, trainShare))
                .with("note", "extrapolated from the measured per-image costs; augmentation CPU time not included "
                        + "(naive would pay it every epoch, the cache once per copy)");
        Progress.log(x);
        return List.of(c, v, x);
    }

    /**
     * The speed-up the recipe allows at equal kernel efficiency, from counted multiply-adds per training image and
     * label (validation left out): a training step costs 3x its forward pass (forward, backward to the input,
     * backward to the weights); the naive loop runs the whole network forward in phase 1 and the trunk forward plus
     * the head's training in phase 2, every epoch; the cache trains the top (phase 1) and the head (phase 2) and fills
     * itself once per image and augmented copy, shared by the labels.
     */
    static double arithmeticBound(ComputationGraph full, FreezePlan plan, GraphTopology topology, int side,
                                  CNN2DFormat layout, double trainShare) {
        var conf = full.getConfiguration();
        var input = InputType.convolutional(side, side, 3, layout);
        double total = MultiplyAdds.perImage(conf, input);
        double head = MultiplyAdds.perImage(conf, input, plan.trainable());
        double top = MultiplyAdds.perImage(conf, input, topology.lastLayersTrainable(1).trainable());
        double naive = RECIPE_EPOCHS * (total + 3 * top) + RECIPE_EPOCHS * (total - head + 3 * head);
        double cached = RECIPE_EPOCHS * 3 * top + RECIPE_EPOCHS * 3 * head
                + (1 + RECIPE_COPIES * trainShare) * (total - head) / trainShare / RECIPE_LABELS;
        return naive / cached;
    }

    private record Cached(double cacheSeconds, double featureSeconds, double phase1Seconds, double phase2Seconds) {
        double total() {
            return cacheSeconds + featureSeconds + phase1Seconds + phase2Seconds;
        }
    }

    private record Naive(double phase1Seconds, double phase2Seconds) {
        double total() {
            return phase1Seconds + phase2Seconds;
        }
    }

    private static Cached cached(ComputationGraph full, FreezePlan plan, InMemoryImages images, float[][] truth,
                                 List<Integer> train, List<Integer> validation, BenchSize size) {
        Path spill = tempDir();
        List<CacheItem> items = IntStream.range(0, images.size()).mapToObj(i -> new CacheItem(i, CacheItem.ORIGINAL))
                .toList();
        var weights = new ClassWeighting(new double[] {1}, new double[] {1});
        var trainer = new HeadTrainer(size.batch());
        long t0 = System.nanoTime();
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan);
             FrozenTrunkCache trunkCache = FrozenTrunkCache.build(split.trunk(), split.boundary(), images, items,
                     size.batch(), 1L << 30, spill, k -> { })) {
            long t1 = System.nanoTime();
            FreezePlan topPlan = GraphTopology.of(split.head().getConfiguration()).lastLayersTrainable(1);
            try (TrunkHeadSplit topSplit = TrunkHeadSplit.of(split.head(), topPlan);
                 FrozenTrunkCache features = FrozenTrunkCache.build(topSplit.trunk(), topSplit.boundary(),
                         trunkCache.asSource(), items, size.batch(), 1L << 30, spill, k -> { })) {
                long t2 = System.nanoTime();
                ComputationGraph top = Optimizers.apply(topSplit.head().clone(), TrainStepBench.SGD_MOMENTUM);
                var phase1 = new TrainingData(features, truth, train, validation, 0);
                for (int epoch = 0; epoch < size.recipeEpochs(); epoch++) {
                    trainer.trainEpoch(top, phase1, weights, 100 + epoch, k -> { });
                    trainer.validate(top, phase1);
                }
                long t3 = System.nanoTime();
                ComputationGraph head = Optimizers.apply(split.head().clone(), TrainStepBench.SGD_MOMENTUM);
                ParameterTransfer.copyMatchingParams(top, head);
                var phase2 = new TrainingData(trunkCache, truth, train, validation, 0);
                for (int epoch = 0; epoch < size.recipeEpochs(); epoch++) {
                    trainer.trainEpoch(head, phase2, weights, 200 + epoch, k -> { });
                    trainer.validate(head, phase2);
                }
                long t4 = System.nanoTime();
                top.close();
                head.close();
                return new Cached((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
            }
        }
    }

    private static Naive naive(ComputationGraph full, List<String> headInputs, FreezePlan plan, InMemoryImages images,
                               float[][] truth, List<Integer> train, List<Integer> validation, BenchSize size) {
        long t0 = System.nanoTime();
        ComputationGraph phase1 = frozenBelow(full, headInputs);
        epochs(phase1, images, truth, train, validation, size, 100);
        long t1 = System.nanoTime();
        ComputationGraph phase2 = frozenBelow(full, plan.boundary());
        ParameterTransfer.copyMatchingParams(phase1, phase2);
        epochs(phase2, images, truth, train, validation, size, 200);
        long t2 = System.nanoTime();
        phase1.close();
        phase2.close();
        return new Naive((t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    private static ComputationGraph frozenBelow(ComputationGraph full, List<String> boundary) {
        ComputationGraph graph = new TransferLearning.GraphBuilder(full)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(Optimizers.of(TrainStepBench.SGD_MOMENTUM)).build())
                .setFeatureExtractor(boundary.toArray(String[]::new))
                .build();
        ForwardOnlyHelpers.install(graph);
        return graph;
    }

    private static void epochs(ComputationGraph graph, InMemoryImages images, float[][] truth, List<Integer> train,
                               List<Integer> validation, BenchSize size, long seed) {
        for (int epoch = 0; epoch < size.recipeEpochs(); epoch++) {
            List<Integer> order = new ArrayList<>(train);
            Collections.shuffle(order, new Random(seed + epoch));
            for (int from = 0; from < order.size(); from += size.batch()) {
                List<Integer> batch = order.subList(from, Math.min(order.size(), from + size.batch()));
                INDArray x = images.rows(batch);
                float[][] y = new float[batch.size()][];
                for (int i = 0; i < batch.size(); i++) {
                    y[i] = truth[batch.get(i)];
                }
                graph.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {Nd4j.create(y)}));
                x.close();
            }
            for (int from = 0; from < validation.size(); from += size.batch()) {
                INDArray x = images.rows(validation.subList(from, Math.min(validation.size(), from + size.batch())));
                graph.outputSingle(false, x).getDouble(0);
                x.close();
            }
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("img2rec-bench-cache");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spill folder for the benchmark's cache", e);
        }
    }
}
