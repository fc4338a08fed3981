package io.img2rec.serve.predict;

import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.testing.ServeFixtures;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shared trunk locks its networks one by one: two callers run the trunk and a head at the same time. */
class SharedTrunkModelConcurrencyTest {

    /** A lock that runs a hook just after it is acquired (the hook runs while the lock is held). */
    private static final class HookedLock implements Lock {
        private final ReentrantLock lock = new ReentrantLock();
        private final Runnable afterAcquire;

        HookedLock(Runnable afterAcquire) {
            this.afterAcquire = afterAcquire;
        }

        @Override
        public void lock() {
            lock.lock();
            afterAcquire.run();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockInterruptibly();
            afterAcquire.run();
        }

        @Override
        public boolean tryLock() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unlock() {
            lock.unlock();
        }

        @Override
        public Condition newCondition() {
            return lock.newCondition();
        }
    }

    @Test
    void aCallerRunsTheTrunkWhileAnotherIsInsideAHead() throws Exception {
        ComputationGraph base = new TinyCnnArchitecture().create(new ArchitectureOptions(32, CNN2DFormat.NHWC, 1), 1);
        Nd4j.getRandom().setSeed(5);
        List<ModelCard> cards = new ArrayList<>();
        List<ComputationGraph> graphs = new ArrayList<>();
        InputEncoder encoder = new InputEncoder(32, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST,
                TensorLayout.NHWC);
        for (String label : ServeFixtures.LABELS) {
            ComputationGraph model = base.clone();
            for (Layer layer : model.getLayers()) {
                if (!layer.conf().getLayer().getLayerName().startsWith("tiny") && layer.numParams() > 0) {
                    layer.params().assign(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5));
                }
            }
            cards.add(new ModelCard("vgg16-" + label, "vgg16", List.of(label), Map.of(label, 0.5), encoder, ""));
            graphs.add(model);
        }

        String firstHead = "head vgg16-" + ServeFixtures.LABELS.get(0);
        CountDownLatch callerOneInHead = new CountDownLatch(1);
        CountDownLatch callerTwoInTrunk = new CountDownLatch(1);
        boolean[] overlapped = new boolean[1];
        Thread[] callerOne = new Thread[1];
        SharedTrunkModel model = SharedTrunkModel.combine(cards, graphs, name -> {
            if (name.equals("trunk")) {
                return new HookedLock(() -> {
                    if (callerOne[0] != null && Thread.currentThread() != callerOne[0]) {
                        callerTwoInTrunk.countDown();
                    }
                });
            }
            if (name.equals(firstHead)) {
                return new HookedLock(() -> {
                    if (Thread.currentThread() == callerOne[0] && callerOneInHead.getCount() > 0) {
                        callerOneInHead.countDown();
                        try { // holds the head's lock until caller two holds the trunk's
                            overlapped[0] = callerTwoInTrunk.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
            }
            return new ReentrantLock();
        }).orElseThrow();
        graphs.forEach(ComputationGraph::close);

        List<RgbImage> crops = List.of(ImageDecoder.fromBufferedImage(TestImages.noise(50, 60, 1)));
        double[][] alone = model.score(crops);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (model) {
            Future<double[][]> one = pool.submit(() -> {
                callerOne[0] = Thread.currentThread();
                return model.score(crops);
            });
            assertTrue(callerOneInHead.await(30, TimeUnit.SECONDS), "caller one reached the first head");
            Future<double[][]> two = pool.submit(() -> model.score(crops));
            double[][] second = two.get(30, TimeUnit.SECONDS);
            double[][] first = one.get(30, TimeUnit.SECONDS);
            assertTrue(overlapped[0], "caller two held the trunk's lock while caller one was inside a head");
            for (int r = 0; r < alone.length; r++) {
                assertArrayEquals(alone[r], first[r], 0.0);
                assertArrayEquals(alone[r], second[r], 0.0);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
