package io.img2rec.train.loop;

import io.img2rec.core.config.OptimizerConfig;
import io.img2rec.core.config.TrainConfig;
import io.img2rec.core.model.Architecture;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.GraphAssembly;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.TopSpec;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.core.nativeio.BlasThreads;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.nativeio.OpenMpThreads;
import io.img2rec.train.cache.BatchSource;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.FrozenTrunkCache;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Not a test: measures phase 1 on VGG16@150's shapes (block5_pool features 512×4×4 → flatten → dense 256 → dropout
 * 0.5 → dense 1, 252 training + 54 validation images, batch 16, Adam 1e-3) and where an epoch's time goes.
 * Run: {@code java -cp ... io.img2rec.train.loop.PhaseOneProbe [epochs] [dl4j|fast|both|ops|floor]}.
 */
public final class PhaseOneProbe {
    static final int TRAIN = 252;
    static final int VALIDATION = 54;
    static final int CHANNELS = 512;
    static final int SIDE = 4;

    /** A 1×1 convolution standing in for VGG16's base: its output is the top's input, block5_pool's shape. */
    static final class Stand implements Architecture {
        private final int channels;

        Stand(int channels) {
            this.channels = channels;
        }

        @Override
        public String name() {
            return "stand";
        }

        @Override
        public int defaultInputSize() {
            return 2 * SIDE;
        }

        @Override
        public TopSpec defaultTop(int outputs) {
            return TopSpec.sigmoid(TopSpec.Pooling.FLATTEN, 256, 0.5, outputs);
        }

        @Override
        public String addBase(GraphAssembly graph, String input) {
            return graph.conv("base", input, channels, 1, 2, Activation.RELU); // 2·side px → side
        }
    }

    /** The phase-1 setting on given shapes: a top graph, its cached features, truth and splits. */
    record Setup(TrunkHeadSplit split, FrozenTrunkCache cache, float[][] truth, List<Integer> train,
                 List<Integer> validation) implements AutoCloseable {
        static Setup of(int channels, int side, int hidden, int trainImages, int validationImages, long seed,
                        Path spill) {
            return of(channels, side, hidden, trainImages, validationImages, seed, spill, TopSpec.Pooling.FLATTEN);
        }

        /** As above with the top's pooling ({@code GLOBAL_AVERAGE}: ResNet50's top). */
        static Setup of(int channels, int side, int hidden, int trainImages, int validationImages, long seed,
                        Path spill, TopSpec.Pooling pooling) {
            var arch = new Stand(channels);
            var options = new ArchitectureOptions(2 * side, CNN2DFormat.NCHW, seed);
            ComputationGraph full = new ComputationGraph(arch.configuration(options,
                    TopSpec.sigmoid(pooling, hidden, 0.5, 1)));
            full.init();
            TrunkHeadSplit split = TrunkHeadSplit.of(full, GraphTopology.of(full.getConfiguration()).lastLayersTrainable(1));
            int n = trainImages + validationImages;
            int perImage = 3 * 4 * side * side;
            SplittableRandom random = new SplittableRandom(seed);
            float[] pixels = new float[n * perImage];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble();
            }
            BatchSource source = items -> {
                float[] out = new float[items.size() * perImage];
                for (int i = 0; i < items.size(); i++) {
                    System.arraycopy(pixels, items.get(i).image() * perImage, out, i * perImage, perImage);
                }
                return new BatchSource.LoadedBatch(items, new INDArray[] {Nd4j.create(out,
                        new long[] {items.size(), 3, 2 * side, 2 * side}, 'c')}, Map.of());
            };
            List<CacheItem> items = IntStream.range(0, n).mapToObj(i -> new CacheItem(i, CacheItem.ORIGINAL)).toList();
            FrozenTrunkCache cache = FrozenTrunkCache.build(split.trunk(), split.boundary(), source, items, 16,
                    1L << 30, spill, k -> { });
            float[][] truth = new float[n][1];
            for (int i = 0; i < n; i++) {
                truth[i][0] = random.nextInt(3) == 0 ? 1f : 0f;
            }
            return new Setup(split, cache, truth, IntStream.range(0, trainImages).boxed().toList(),
                    IntStream.range(trainImages, n).boxed().toList());
        }

        TrainingData data() {
            return new TrainingData(cache, truth, train, validation, 0);
        }

        ClassWeighting weights() {
            float[][] rows = new float[train.size()][];
            for (int i = 0; i < train.size(); i++) {
                rows[i] = truth[train.get(i)];
            }
            return ClassWeighting.of(TrainConfig.ClassWeights.BALANCED, rows, 1);
        }

        ComputationGraph freshTop() {
            return Optimizers.apply(split.head().clone(), new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0));
        }

        @Override
        public void close() {
            cache.close();
            split.close();
        }
    }

    public static void main(String[] args) throws Exception {
        NativeSetup.configure();
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String which = args.length > 1 ? args[1] : "both";
        Path spill = Files.createTempDirectory("phase1-probe");
        try (Setup setup = Setup.of(CHANNELS, SIDE, 256, TRAIN, VALIDATION, 42, spill)) {
            TrainingData data = setup.data();
            ClassWeighting weights = setup.weights();
            HeadTrainer trainer = new HeadTrainer(16, false);
            if (which.equals("ops")) {
                ops(epochs);
                return;
            }
            if (which.equals("floor")) {
                floor(epochs);
                return;
            }
            if (which.equals("both")) {
                interleaved(setup, epochs);
                return;
            }
            if (!which.equals("fast")) {
                ComputationGraph head = setup.freshTop();
                List<Double> train = new ArrayList<>();
                List<Double> validate = new ArrayList<>();
                List<Double> batchCopy = new ArrayList<>();
                List<Double> clone = new ArrayList<>();
                List<Double> scoreAll = new ArrayList<>();
                List<Double> save = new ArrayList<>();
                List<Integer> all = new ArrayList<>(data.trainImages());
                all.addAll(data.validationImages());
                for (int e = 1; e <= epochs; e++) {
                    long t0 = System.nanoTime();
                    trainer.trainEpoch(head, data, weights, Seeds.derive(42, "probe", "top", e), k -> { });
                    long t1 = System.nanoTime();
                    trainer.validate(head, data);
                    long t2 = System.nanoTime();
                    List<CacheItem> batch = data.epochItems(new SplittableRandom(e));
                    for (int from = 0; from < batch.size(); from += 16) {
                        data.cache().batch(batch.subList(from, Math.min(batch.size(), from + 16)));
                    }
                    long t3 = System.nanoTime();
                    ComputationGraph copy = head.clone();
                    long t4 = System.nanoTime();
                    trainer.predict(head, data.cache(), all);
                    long t5 = System.nanoTime();
                    File f = spill.resolve("last.zip").toFile();
                    ModelSerializer.writeModel(head, f, true);
                    long t6 = System.nanoTime();
                    copy.close();
                    train.add((t1 - t0) / 1e9);
                    validate.add((t2 - t1) / 1e9);
                    batchCopy.add((t3 - t2) / 1e9);
                    clone.add((t4 - t3) / 1e9);
                    scoreAll.add((t5 - t4) / 1e9);
                    save.add((t6 - t5) / 1e9);
                    System.out.printf(Locale.ROOT, "dl4j epoch %d: train %.3f s, validate %.3f, batches alone %.3f, "
                                    + "clone %.3f, score all %.3f, write last (with updater, %d kB) %.3f%n", e,
                            train.get(e - 1), validate.get(e - 1), batchCopy.get(e - 1), clone.get(e - 1),
                            scoreAll.get(e - 1), f.length() / 1024, save.get(e - 1));
                }
                System.out.printf(Locale.ROOT, "dl4j median (epochs 2..): train %.3f s, validate %.3f, batches %.3f, "
                                + "clone %.3f, score all %.3f, write last %.3f%n", median(train), median(validate),
                        median(batchCopy), median(clone), median(scoreAll), median(save));
            }
        } finally {
            deleteTree(spill); // the cache's spill files and the checkpoint the DL4J mode writes
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Epochs of the DL4J path ({@code fit}/{@code output}) and the direct path alternating in one JVM on equal
     * fresh tops: per epoch training, validation and scoring every image (what a best epoch adds).
     */
    static void interleaved(Setup setup, int epochs) {
        TrainingData data = setup.data();
        ClassWeighting weights = setup.weights();
        List<Integer> all = new ArrayList<>(data.trainImages());
        all.addAll(data.validationImages());
        String[] names = {"dl4j", "direct"};
        HeadTrainer[] trainers = {new HeadTrainer(16, false), new HeadTrainer(16, true)};
        ComputationGraph[] heads = {setup.freshTop(), setup.freshTop()};
        List<List<Double>> train = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> validate = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> score = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int e = 1; e <= epochs; e++) {
            for (int k = 0; k < 2; k++) {
                int p = (e % 2 == 0) ? k : 1 - k; // alternate which path goes first
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                trainers[p].trainEpoch(heads[p], data, weights, Seeds.derive(42, "probe", "top", e), i -> { });
                long t1 = System.nanoTime();
                var metrics = trainers[p].validate(heads[p], data);
                long t2 = System.nanoTime();
                cpu.get(p).add((os.getProcessCpuTime() - c0) / 1e9);
                trainers[p].predict(heads[p], data.cache(), all);
                long t3 = System.nanoTime();
                train.get(p).add((t1 - t0) / 1e9);
                validate.get(p).add((t2 - t1) / 1e9);
                score.get(p).add((t3 - t2) / 1e9);
                System.out.printf(Locale.ROOT, "%-6s epoch %2d: train %.4f s, validate %.4f s, (CPU %.4f s), score all %.4f s, "
                        + "val loss %.6f%n", names[p], e, (t1 - t0) / 1e9, (t2 - t1) / 1e9, cpu.get(p).get(e - 1), (t3 - t2) / 1e9,
                        metrics.loss());
            }
        }
        for (int p = 0; p < 2; p++) {
            System.out.printf(Locale.ROOT, "%-6s median over epochs 2..%d: train %.4f s, validate %.4f s "
                            + "(epoch = train + validate %.4f s; process CPU per epoch %.4f s), score all %.4f s%n", names[p], epochs,
                    median(train.get(p)), median(validate.get(p)), median(train.get(p)) + median(validate.get(p)),
                    median(cpu.get(p)), median(score.get(p)));
        }
        System.out.printf(Locale.ROOT, "max |param difference| after %d epochs: %g%n", epochs,
                heads[0].params().sub(heads[1].params()).amax().getDouble(0));
    }

    /** The single operations of one iteration on VGG16@150's phase-1 shapes, each timed over {@code rounds}×16 calls. */
    static void ops(int rounds) {
        int n = 16;
        int in = CHANNELS * SIDE * SIDE;
        int hidden = 256;
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, in);
        INDArray w = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, in, hidden).dup('f');
        INDArray grad = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, in * hidden);
        INDArray gview = grad.reshape('f', in, hidden);
        INDArray delta = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, hidden);
        INDArray state = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 2L * in * hidden);
        INDArray params = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, in * hidden);
        var adam = new org.nd4j.linalg.learning.config.Adam(1e-3, 0.9, 0.999, 1e-7).instantiate(state, true);
        float[] rows = new float[n * in];
        float[] hg = new float[in * hidden], hm = new float[in * hidden], hv = new float[in * hidden], hp = new float[in * hidden];
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            long[] t = new long[8];
            for (int i = 0; i < 16; i++) {
                long a = System.nanoTime();
                Nd4j.create(rows, new long[] {n, in}, 'c');
                long b = System.nanoTime();
                INDArray z = Nd4j.createUninitialized(w.dataType(), n, hidden);
                x.mmuli(w, z);
                long c = System.nanoTime();
                Nd4j.gemm(x, delta, gview, true, false, 1.0, 0.0);
                long d = System.nanoTime();
                grad.divi(n);
                long e = System.nanoTime();
                adam.applyUpdater(grad, r * 16 + i, 0);
                long f = System.nanoTime();
                params.subi(grad);
                long g = System.nanoTime();
                fused(grad, state, params, n, r * 16 + i);
                long h = System.nanoTime();
                t[6] += h - g;
                grad.data().asNioFloat().get(0, hg, 0, hg.length);
                fusedHeap(hg, hm, hv, hp, n, r * 16 + i);
                params.data().asNioFloat().put(0, hp, 0, hp.length);
                long q = System.nanoTime();
                t[7] += q - h;
                t[0] += b - a; t[1] += c - b; t[2] += d - c; t[3] += e - d; t[4] += f - e; t[5] += g - f;
            }
            String[] names = {"batch array from float[]", "forward GEMM 16x8192x256", "weight-gradient GEMM",
                    "gradient / batch (2.1M)", "Adam op (2.1M)", "params -= update (2.1M)", "fused Java /n+Adam+step", "heap: copy g in, fused, copy p out"};
            for (int k = 0; k < names.length; k++) {
                times.computeIfAbsent(names[k], q -> new ArrayList<>()).add(t[k] / 1e9);
            }
        }
        times.forEach((name, values) -> System.out.printf(Locale.ROOT, "%-28s per 16 calls (one epoch): median %.4f s%n",
                name, median(values)));
    }

    static void fused(INDArray grad, INDArray state, INDArray params, int n, int iteration) {
        java.nio.FloatBuffer g = grad.data().asNioFloat();
        java.nio.FloatBuffer s = state.data().asNioFloat();
        java.nio.FloatBuffer p = params.data().asNioFloat();
        int len = (int) grad.length();
        float b1 = 0.9f, b2 = 0.999f, eps = 1e-7f, lr = 1e-3f;
        float b1t = (float) Math.pow(b1, iteration + 1), b2t = (float) Math.pow(b2, iteration + 1);
        float epsT = (float) (lr * (float) Math.sqrt((float) (1.0 - b2t)) / (1.0 - b1t));
        float fn = n, c1 = 1 - b1, c2 = 1 - b2;
        for (int i = 0; i < len; i++) {
            float gi = g.get(i) / fn;
            float m = b1 * s.get(i) + gi * c1;
            float v = b2 * s.get(len + i) + gi * gi * c2;
            s.put(i, m);
            s.put(len + i, v);
            p.put(i, p.get(i) - (m * epsT) / ((float) Math.sqrt(v) + eps));
        }
    }

    static void fusedHeap(float[] g, float[] ms, float[] vs, float[] p, int n, int iteration) {
        float b1 = 0.9f, b2 = 0.999f, eps = 1e-7f, lr = 1e-3f;
        float b1t = (float) Math.pow(b1, iteration + 1), b2t = (float) Math.pow(b2, iteration + 1);
        float epsT = (float) (lr * (float) Math.sqrt((float) (1.0 - b2t)) / (1.0 - b1t));
        float fn = n, c1 = 1 - b1, c2 = 1 - b2;
        for (int i = 0; i < g.length; i++) {
            float gi = g[i] / fn;
            float m = b1 * ms[i] + gi * c1;
            float v = b2 * vs[i] + gi * gi * c2;
            ms[i] = m;
            vs[i] = v;
            p[i] = p[i] - (m * epsT) / ((float) Math.sqrt(v) + eps);
        }
    }

    /**
     * What one iteration of the direct step cannot go below on this host with its present design, on VGG16@150's
     * phase-1 shapes, each piece alone over {@code rounds}×16 calls, on one thread and split over two as
     * {@link HeapAdam} splits its columns: a read and a write of the weights and both moments (the memory the update
     * must move), Adam alone ({@link HeapAdam#adam}), the weight gradient alone (the {@link HeapAdam#fma4} loop, four
     * batch rows per pass), {@link HeapAdam#step} as training runs it, and the dense forward product on one OpenBLAS
     * and one OpenMP thread (as {@link HeadTrainer} runs a dense top's epoch).
     */
    static void floor(int rounds) throws Exception {
        int n = 16;
        int in = CHANNELS * SIDE * SIDE;
        int units = 256;
        SplittableRandom random = new SplittableRandom(7);
        float[][] rows = new float[n][in];
        float[][] delta = new float[n][units];
        float[][] w = new float[units][in];
        float[][] m = new float[units][in];
        float[][] v = new float[units][in];
        fill(rows, random, 1f);
        fill(delta, random, 1e-3f);
        fill(w, random, 1e-2f);
        HeapAdam.Coefficients c = HeapAdam.Coefficients.of(1e-3f, 0.9f, 0.999f, 1e-7f, 10);
        BiConsumer<Integer, Integer> touch = (from, to) -> {
            for (int j = from; j < to; j++) {
                float[] a = w[j], b = m[j], d = v[j];
                for (int i = 0; i < in; i++) {
                    a[i] += 1e-9f;
                    b[i] += 1e-9f;
                    d[i] += 1e-9f;
                }
            }
        };
        BiConsumer<Integer, Integer> adam = (from, to) -> {
            float[] g = new float[in];
            for (int j = from; j < to; j++) {
                Arrays.fill(g, 1e-4f);
                HeapAdam.adam(c, n, g, w[j], m[j], v[j]);
            }
        };
        BiConsumer<Integer, Integer> gradient = (from, to) -> {
            float[] g = new float[in];
            for (int j = from; j < to; j++) {
                Arrays.fill(g, 0f);
                for (int k = 0; k < n; k += 4) {
                    HeapAdam.fma4(g, rows[k], rows[k + 1], rows[k + 2], rows[k + 3], delta[k][j], delta[k + 1][j],
                            delta[k + 2][j], delta[k + 3][j]);
                }
            }
        };
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, (long) in * units + units + units + 1).subi(0.5).muli(0.01);
        INDArray grads = Nd4j.zeros(DataType.FLOAT, params.shape());
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * params.length());
        INDArray weights = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, (long) in * units))
                .reshape('f', in, units);
        INDArray x = Nd4j.create(rows);
        INDArray d = Nd4j.create(delta);
        HeapAdam heap = HeapAdam.load(params, grads, state.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(0, params.length())), state.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(params.length(), 2 * params.length())), in, units);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        try (var blas = BlasThreads.limitProcess(1);
             var omp = OpenMpThreads.limitCallingThread(1)) {
            for (int r = 0; r < rounds; r++) {
                for (int threads = 1; threads <= 2; threads++) {
                    Map<String, BiConsumer<Integer, Integer>> pieces = new LinkedHashMap<>();
                    pieces.put("read + write W, m, v (24 MB)", touch);
                    pieces.put("Adam alone (2.1 M)", adam);
                    pieces.put("weight gradient alone (fma4)", gradient);
                    for (var piece : pieces.entrySet()) {
                        long t0 = System.nanoTime();
                        for (int it = 0; it < 16; it++) {
                            split(pool, threads, units, piece.getValue());
                        }
                        times.computeIfAbsent(piece.getKey() + ", " + threads + " thread(s)", k -> new ArrayList<>())
                                .add((System.nanoTime() - t0) / 16e6);
                    }
                }
                long t0 = System.nanoTime();
                for (int it = 0; it < 16; it++) {
                    heap.step(c, n, x, d);
                }
                long t1 = System.nanoTime();
                for (int it = 0; it < 16; it++) {
                    x.mmul(weights);
                }
                long t2 = System.nanoTime();
                times.computeIfAbsent("HeapAdam.step as trained", k -> new ArrayList<>()).add((t1 - t0) / 16e6);
                times.computeIfAbsent("forward x.W, OpenBLAS 1 thread", k -> new ArrayList<>()).add((t2 - t1) / 16e6);
            }
        } finally {
            pool.shutdown();
        }
        times.forEach((name, values) -> System.out.printf(Locale.ROOT, "%-46s median %.3f ms per iteration%n", name,
                median(values)));
    }

    private static void fill(float[][] rows, SplittableRandom random, float scale) {
        for (float[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (random.nextDouble() - 0.5) * scale;
            }
        }
    }

    private static void split(ExecutorService pool, int threads, int units,
                              BiConsumer<Integer, Integer> work) throws Exception {
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = t * units / threads;
            int to = (t + 1) * units / threads;
            parts.add(pool.submit(() -> work.accept(from, to)));
        }
        for (var part : parts) {
            part.get();
        }
    }

    static double median(List<Double> values) {
        List<Double> rest = new ArrayList<>(values.subList(Math.min(1, values.size() - 1), values.size()));
        rest.sort(Double::compare);
        return rest.get(rest.size() / 2);
    }
}
