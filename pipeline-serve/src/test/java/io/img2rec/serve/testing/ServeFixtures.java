package io.img2rec.serve.testing;

import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import io.img2rec.serve.predict.ModelCard;
import io.img2rec.serve.predict.ScoringModel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

public final class ServeFixtures {
    public static final List<String> LABELS = List.of("beard", "eyewear", "hat");

    private ServeFixtures() {
    }

    public static CheckpointSidecar sidecar(String architecture, String label, double threshold, String preprocessing) {
        var provenance = new RunProvenance("c0", "m0", 7, "abc", "random (test)", Map.of("java", "17"), "CpuBackend",
                "2026-11-24T00:00:00Z");
        return new CheckpointSidecar(CheckpointSidecar.FORMAT_VERSION, architecture, List.of(label), "best", "full", 32,
                preprocessing, "nearest", "nhwc", "fine_tune", 2, Map.of("validation_auc", 0.9),
                Map.of(label, threshold), null, null, provenance, null);
    }

    /** Writes a tiny CNN as {@code <arch>-<label>-best} with a sidecar saying what it is. */
    public static CheckpointSidecar writeTiny(Path folder, String architecture, String label, long seed)
            throws Exception {
        return write(folder, RunLayout.checkpointName(architecture, label, CheckpointSlot.BEST),
                sidecar(architecture, label, 0.5,
                architecture.equals("resnet50") ? "caffe" : "bgr_rescale"), seed);
    }

    public static CheckpointSidecar write(Path folder, String name, CheckpointSidecar sidecar, long seed)
            throws Exception {
        ComputationGraph graph = new TinyCnnArchitecture().create(new ArchitectureOptions(32, CNN2DFormat.NHWC, seed), 1);
        return new CheckpointStore(folder).write(name, graph, false, sidecar);
    }

    /** A fake model: score of each crop = fn(crop), optionally after a pause (to hold an inference slot). */
    public static ScoringModel fake(String architecture, String label, double threshold,
                                    ToDoubleFunction<RgbImage> fn, long pauseMillis) {
        ModelCard card = new ModelCard(architecture + "-" + label, architecture, List.of(label),
                Map.of(label, threshold),
                new InputEncoder(32, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST, TensorLayout.NHWC), "");
        return new ScoringModel() {
            @Override
            public ModelCard card() {
                return card;
            }

            @Override
            public double[][] score(List<RgbImage> crops) {
                if (pauseMillis > 0) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                double[][] out = new double[crops.size()][1];
                for (int i = 0; i < crops.size(); i++) {
                    out[i][0] = fn.applyAsDouble(crops.get(i));
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Mean red value of a crop, 0..1: lets tests steer scores through the image colour. */
    public static double redness(RgbImage image) {
        long sum = 0;
        for (int i = 0; i < image.pixels().length; i += 3) {
            sum += image.pixels()[i] & 0xFF;
        }
        return sum / (255.0 * image.width() * image.height());
    }

    /**
     * A fake model that records the size of every batch it scores; its first call signals {@code entered} and waits
     * for {@code release}.
     */
    public static final class Recording implements ScoringModel {
        private final ModelCard card;
        private final ToDoubleFunction<RgbImage> fn;
        private final List<Integer> batchSizes;
        private final java.util.concurrent.CountDownLatch entered;
        private final java.util.concurrent.CountDownLatch release;

        public Recording(String architecture, String label, ToDoubleFunction<RgbImage> fn, List<Integer> batchSizes,
                         java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch release) {
            this.card = new ModelCard(architecture + "-" + label, architecture, List.of(label), Map.of(label, 0.5),
                    new InputEncoder(32, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST,
                            TensorLayout.NHWC), "");
            this.fn = fn;
            this.batchSizes = batchSizes;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public ModelCard card() {
            return card;
        }

        @Override
        public double[][] score(List<RgbImage> crops) {
            batchSizes.add(crops.size());
            if (entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            double[][] out = new double[crops.size()][1];
            for (int i = 0; i < crops.size(); i++) {
                out[i][0] = fn.applyAsDouble(crops.get(i));
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
