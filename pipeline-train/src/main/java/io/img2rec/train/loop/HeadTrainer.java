package io.img2rec.train.loop;

import io.img2rec.core.nativeio.ForwardOnlyHelpers;
import io.img2rec.core.nativeio.BlasThreads;
import io.img2rec.core.nativeio.OpenMpThreads;
import io.img2rec.core.metrics.MetricValue;
import io.img2rec.core.metrics.RocAuc;
import io.img2rec.core.model.TrainingBatchNorms;
import io.img2rec.core.model.TrainingConvolutions;
import io.img2rec.train.cache.CacheItem;
import io.img2rec.train.cache.FrozenTrunkCache;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * One epoch of training and one pass of validation for a head graph on cached inputs. NCHW convolutions train on
 * oneDNN called directly ({@link TrainingConvolutions}); NHWC ones use oneDNN for the forward pass and DL4J's own
 * backward pass ({@link ForwardOnlyHelpers}). Class weights are the output layer's
 * loss ({@link ClassWeighting#applyTo}), never a label mask; the epoch's shuffling, augmented-copy draws and dropout all come from the
 * epoch seed, so an epoch can be replayed exactly.
 */
public final class HeadTrainer {
    private final int batchSize;
    private final boolean directDenseTop;

    public HeadTrainer(int batchSize) {
        this(batchSize, true);
    }

    /**
     * @param directDenseTop train and score a plain dense top with {@link DenseTopStep} (the same arithmetic as
     *                       {@code fit}/{@code output} without their per-call cost); false: always through DL4J
     */
    HeadTrainer(int batchSize, boolean directDenseTop) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.directDenseTop = directDenseTop;
    }

    private Optional<DenseTopStep> direct(ComputationGraph head) {
        return directDenseTop ? DenseTopStep.of(head) : Optional.empty();
    }

    /**
     * Sets {@code head} up to train as {@link #trainEpoch} trains it (benchmarks time the same step); idempotent.
     *
     * @return what {@link TrainingConvolutions} switched ({@link TrainingBatchNorms} is installed too)
     */
    public static TrainingConvolutions.Installed prepare(ComputationGraph head) {
        ForwardOnlyHelpers.install(head); // M2.1's oneDNN backward is wrong in NHWC
        PreOutputReuse.enable(head); // each convolution's forward pass once per step, not twice
        TrainingBatchNorms.install(head); // oneDNN's training-mode batch norm, not libnd4j's generic backward
        return TrainingConvolutions.install(head); // oneDNN directly: libnd4j's bits, no unused input gradient
    }

    /** Trains one epoch; returns the mean (weighted) training loss. */
    public double trainEpoch(ComputationGraph head, TrainingData data, ClassWeighting weights, long epochSeed,
                             IntConsumer progress) {
        prepare(head);
        weights.applyTo(head); // idempotent
        SplittableRandom random = new SplittableRandom(epochSeed);
        List<CacheItem> items = data.epochItems(random);
        Nd4j.getRandom().setSeed(random.nextLong()); // dropout masks of this epoch
        DenseTopStep step = direct(head).orElse(null);
        double lossSum = 0;
        int batches = 0;
        // a dense top's small operations run faster, to the same bits, on one OpenMP thread (this thread only);
        // OpenBLAS's spinning pool would contend with the OpenMP threads for the cores: one BLAS thread (products
        // then also sum the same way whatever the host's core count)
        try (BlasThreads blas = BlasThreads.limitProcess(1);
             OpenMpThreads serial = step != null ? OpenMpThreads.limitCallingThread(1) : null) {
            for (int from = 0; from < items.size(); from += batchSize) {
                List<CacheItem> batch = items.subList(from, Math.min(items.size(), from + batchSize));
                INDArray[] inputs = data.cache().batch(batch);
                float[][] truth = new float[batch.size()][];
                for (int i = 0; i < batch.size(); i++) {
                    truth[i] = data.truth()[batch.get(i).image()];
                }
                INDArray labels = Nd4j.create(truth);
                if (step != null) {
                    lossSum += step.fit(inputs[0], labels);
                } else {
                    head.fit(new MultiDataSet(inputs, new INDArray[] {labels}));
                    lossSum += head.score();
                }
                batches++;
                progress.accept(batch.size());
            }
        } finally {
            if (step != null) {
                step.flush(); // Adam's moments back into the graph's updater state, where checkpoints read them
            }
        }
        return lossSum / Math.max(1, batches);
    }

    /** Scores (probabilities) of the head for the images' original (un-augmented) inputs: [image][output]. */
    public double[][] predict(ComputationGraph head, FrozenTrunkCache cache, List<Integer> images) {
        double[][] scores = new double[images.size()][];
        DenseTopStep step = direct(head).orElse(null);
        // Scored in training-size batches on both paths: a product's rows do change in the last bit with the
        // number of rows computed together (a batch of 57 differed from batches of 16 by 3e-8), and the scores
        // decide the best epoch and the thresholds.
        int chunk = batchSize;
        try (BlasThreads blas = BlasThreads.limitProcess(1);
             OpenMpThreads serial = step != null ? OpenMpThreads.limitCallingThread(1) : null) {
            scoreInChunks(head, cache, images, step, chunk, scores);
        }
        return scores;
    }

    private static void scoreInChunks(ComputationGraph head, FrozenTrunkCache cache, List<Integer> images,
                                      DenseTopStep step, int chunk, double[][] scores) {
        for (int from = 0; from < images.size(); from += chunk) {
            List<CacheItem> batch = new ArrayList<>();
            for (int i = from; i < Math.min(images.size(), from + chunk); i++) {
                batch.add(new CacheItem(images.get(i), CacheItem.ORIGINAL));
            }
            INDArray[] inputs = cache.batch(batch);
            double[][] out = (step != null ? step.output(inputs[0]) : head.output(false, inputs)[0]).toDoubleMatrix();
            System.arraycopy(out, 0, scores, from, batch.size());
        }
    }

    /** Validation loss (unweighted binary cross-entropy), mean ROC AUC over outputs and accuracy at 0.5. */
    public ValidationMetrics validate(ComputationGraph head, TrainingData data) {
        double[][] scores = predict(head, data.cache(), data.validationImages());
        float[][] truth = data.truthOf(data.validationImages());
        return ValidationMetrics.of(truth, scores);
    }

    /** Metrics of scores against truth, per output averaged. */
    public record ValidationMetrics(double loss, double auc, double accuracy) {
        static ValidationMetrics of(float[][] truth, double[][] scores) {
            int outputs = truth[0].length;
            double loss = 0;
            long correct = 0;
            double aucSum = 0;
            int aucCount = 0;
            for (int o = 0; o < outputs; o++) {
                boolean[] t = new boolean[truth.length];
                double[] s = new double[truth.length];
                for (int i = 0; i < truth.length; i++) {
                    t[i] = truth[i][o] > 0.5f;
                    s[i] = scores[i][o];
                    double p = Math.min(Math.max(s[i], 1e-7), 1 - 1e-7);
                    loss -= t[i] ? Math.log(p) : Math.log(1 - p);
                    correct += (s[i] >= 0.5) == t[i] ? 1 : 0;
                }
                MetricValue auc = RocAuc.of(t, s);
                if (auc.isDefined()) {
                    aucSum += auc.orElseThrow();
                    aucCount++;
                }
            }
            long n = (long) truth.length * outputs;
            return new ValidationMetrics(loss / n, aucCount == 0 ? Double.NaN : aucSum / aucCount, (double) correct / n);
        }
    }
}
