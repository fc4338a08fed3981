package io.img2rec.serve.api;

import io.img2rec.core.image.RgbImage;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.face.FaceDetector;
import io.img2rec.serve.face.HaarFaceDetector;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.rules.ImageErrorCode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecommenderTest {
    @TempDir
    Path dir;

    /** A detector that "finds" one fixed face box in every image taller than 300 px. */
    private static final class FixedFaceDetector implements FaceDetector {
        @Override
        public List<FaceBox> detect(RgbImage image) {
            return image.height() > 300 ? List.of(new FaceBox(120, 200, 220, 100)) : List.of();
        }

        @Override
        public void close() {
        }
    }

    private ModelRegistry sixTinyModels() throws Exception {
        long seed = 11;
        for (String label : ServeFixtures.LABELS) {
            ServeFixtures.writeTiny(dir.resolve("models"), "vgg16", label, seed++);
            ServeFixtures.writeTiny(dir.resolve("models"), "resnet50", label, seed++);
        }
        return ModelRegistry.load(List.of(dir.resolve("models")), ServeFixtures.LABELS);
    }

    @Test
    void parallelCallersGetTheSameResultsAsSequentialOnes() throws Exception {
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            images.add(TestImages.write(dir.resolve("imgs/img" + i + ".png"),
                    TestImages.encode(TestImages.noise(360, 400, i), "png")));
        }
        try (Recommender recommender = Recommender.builder().models(sixTinyModels())
                .faceDetector(new FixedFaceDetector()).build()) {
            List<String> sequential = new ArrayList<>();
            for (Path image : images) {
                sequential.add(ResultJson.compact(recommender.recommendImage(image)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<String>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Path image : images) {
                    futures.add(pool.submit(() -> ResultJson.compact(recommender.recommendImage(image))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(sequential.get(i % images.size()), futures.get(i).get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();
            ImageResult first = recommender.recommendImage(images.get(0));
            assertEquals(ImageStatus.ANALYSED, first.status());
            assertEquals(1, first.faces().size());
            // face box rows 120..220, columns 100..200; default calibration DLIB_HOG (0.91, 0, 0.11): sides 91,
            // centre (150, 170 + 11) -> box rows round(135.5) = 136 .. round(226.5) = 227, columns 105 .. 196;
            // crop (h = w = 91): rows 136-56 .. 227+22, columns 105-34 .. 196+34
            assertEquals(new io.img2rec.serve.face.FaceBox(136, 196, 227, 105), first.faces().get(0).calibrated());
            assertEquals(new io.img2rec.serve.face.CropBox(71, 80, 159, 169), first.faces().get(0).crop());
            assertEquals(2, first.faces().get(0).modelScores().get("hat").size());
            double vgg = first.faces().get(0).modelScores().get("hat").get("vgg16");
            double resnet = first.faces().get(0).modelScores().get("hat").get("resnet50");
            assertEquals((vgg + resnet) / 2, first.labelScores().get("hat"), 1e-12);
        }
    }

    @Test
    void oneBadFileNeverStopsAFolderAndFacelessImagesAreReported() throws Exception {
        Path profile = dir.resolve("profiles/alice");
        TestImages.write(profile.resolve("a.png"), TestImages.encode(TestImages.noise(360, 400, 1), "png"));
        TestImages.write(profile.resolve("small.png"), TestImages.encode(TestImages.solid(100, 100, Color.RED), "png"));
        Files.writeString(profile.resolve("page.jpg"), "<html>not a photo</html>", StandardCharsets.UTF_8);
        Files.write(profile.resolve("empty.png"), new byte[0]);
        try (Recommender recommender = Recommender.builder().models(sixTinyModels())
                .faceDetector(new FixedFaceDetector()).build()) {
            List<ProfileResult> results = recommender.recommendProfiles(dir.resolve("profiles"));
            assertEquals(1, results.size());
            ProfileResult alice = results.get(0);
            assertEquals(4, alice.images());
            assertEquals(1, alice.imagesAnalysed());
            assertEquals(1, alice.imagesNoFace());
            assertEquals(2, alice.imagesFailed());
            ImageResult page = alice.imageResults().stream().filter(r -> r.name().equals("page.jpg")).findFirst()
                    .orElseThrow();
            assertTrue(page.error().contains("not-an-image"), page.error());
            assertNotNull(alice.recommendation().message());
        }
    }

    @Test
    void aFolderScoredInBatchesGivesThePerImageScores() throws Exception {
        Path profile = dir.resolve("profiles/dan");
        for (int i = 0; i < 5; i++) {
            TestImages.write(profile.resolve("p" + i + ".png"), TestImages.encode(TestImages.noise(360, 400, 40 + i), "png"));
        }
        TestImages.write(profile.resolve("tiny.png"), TestImages.encode(TestImages.solid(50, 50, Color.RED), "png"));
        try (Recommender recommender = Recommender.builder().models(sixTinyModels())
                .faceDetector(new FixedFaceDetector())
                .options(RecommenderOptions.DEFAULTS.withBatchSize(2)).build()) {
            ProfileResult dan = recommender.recommendProfile(profile);
            assertEquals(6, dan.images());
            assertEquals(5, dan.imagesAnalysed());
            for (ImageResult batched : dan.imageResults()) {
                ImageResult alone = recommender.recommendImage(profile.resolve(batched.name()));
                assertEquals(alone.status(), batched.status());
                for (String label : alone.labelScores().keySet()) {
                    assertEquals(alone.labelScores().get(label), batched.labelScores().get(label), 1e-5);
                }
            }
        }
    }

    @Test
    void wholeImageFallbackClassifiesPortraitsWithoutAFace() throws Exception {
        Path small = TestImages.write(dir.resolve("small.png"),
                TestImages.encode(TestImages.solid(100, 100, Color.RED), "png"));
        try (Recommender recommender = Recommender.builder().models(sixTinyModels())
                .faceDetector(new FixedFaceDetector())
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.FACES_OR_WHOLE_IMAGE))
                .build()) {
            ImageResult result = recommender.recommendImage(small);
            assertEquals(ImageStatus.ANALYSED, result.status());
            assertTrue(result.wholeImage());
            assertEquals(3, result.labelScores().size());
        }
    }

    /** Two fake whole-image models, vgg16 then resnet50 (the ensemble calls them in this order). */
    private static Recommender twoFakes(ToDoubleFunction<RgbImage> vgg, ToDoubleFunction<RgbImage> resnet)
            throws Exception {
        return twoFakes(vgg, resnet, RecommenderOptions.DEFAULT_BATCH_WINDOW);
    }

    private static Recommender twoFakes(ToDoubleFunction<RgbImage> vgg, ToDoubleFunction<RgbImage> resnet,
                                        java.time.Duration batchWindow) throws Exception {
        var registry = ModelRegistry.of(List.of(ServeFixtures.fake("vgg16", "hat", 0.5, vgg, 0),
                ServeFixtures.fake("resnet50", "hat", 0.5, resnet, 0)), List.of("hat"));
        return Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)
                        .withBatchWindow(batchWindow)).build();
    }

    @Test
    void concurrentCallersCropsAreScoredInOneBatchAndEachGetsItsOwnScores() throws Exception {
        Path red = TestImages.writePng(dir.resolve("red.png"), 40, 30, Color.RED);
        Path blue = TestImages.writePng(dir.resolve("blue.png"), 40, 30, Color.BLUE);
        CountDownLatch firstBatchEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        var vgg = new ServeFixtures.Recording("vgg16", "hat", ServeFixtures::redness, batchSizes, firstBatchEntered,
                release);
        var registry = ModelRegistry.of(List.of(vgg), List.of("hat"));
        try (Recommender recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)
                        .withBatchWindow(java.time.Duration.ofSeconds(5))).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                // the first call holds the model: the next three queue up and go through together
                Future<ImageResult> first = pool.submit(() -> recommender.recommendImage(red));
                assertTrue(firstBatchEntered.await(30, TimeUnit.SECONDS));
                List<Future<ImageResult>> next = new ArrayList<>();
                for (Path image : List.of(blue, red, blue)) {
                    next.add(pool.submit(() -> recommender.recommendImage(image)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (recommender.pendingCallsForTests() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                release.countDown();
                assertEquals(1.0, first.get(30, TimeUnit.SECONDS).labelScores().get("hat"), 1e-9);
                assertEquals(0.0, next.get(0).get(30, TimeUnit.SECONDS).labelScores().get("hat"), 1e-9);
                assertEquals(1.0, next.get(1).get(30, TimeUnit.SECONDS).labelScores().get("hat"), 1e-9);
                assertEquals(0.0, next.get(2).get(30, TimeUnit.SECONDS).labelScores().get("hat"), 1e-9);
                assertEquals(List.of(1, 3), batchSizes, "one call alone, then the three waiting calls together");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void resultsCarryATypedCodeAndAModelFaultIsAnAnalysisFailureWithAnId() throws Exception {
        Path good = TestImages.writePng(dir.resolve("too-many-pixels.png"), 40, 30, Color.BLUE);
        Path red = TestImages.writePng(dir.resolve("red.png"), 40, 30, Color.RED);
        Path corrupt = TestImages.write(dir.resolve("analysis-failed.jpg"),
                io.img2rec.core.testing.BadInputCorpus.bytesOf("truncated.jpg", Color.RED));
        try (Recommender recommender = twoFakes(ServeFixtures::redness, crop -> {
            if (ServeFixtures.redness(crop) > 0.9) {
                throw new IllegalStateException("model fault (test)");
            }
            return 0.2;
        })) {
            ImageResult ok = recommender.recommendImage(good);
            assertEquals(ImageStatus.ANALYSED, ok.status());
            assertNull(ok.errorCode());
            ImageResult bad = recommender.recommendImage(corrupt);
            assertEquals(ImageErrorCode.CORRUPT_IMAGE, bad.errorCode(), bad.error());
            assertNull(bad.errorId());
            ImageResult failed = recommender.recommendImage(red);
            assertEquals(ImageStatus.ERROR, failed.status());
            assertEquals(ImageErrorCode.ANALYSIS_FAILED, failed.errorCode(), failed.error());
            assertNotNull(failed.errorId());
            assertTrue(failed.error().contains(failed.errorId()), failed.error());
            String json = ResultJson.compact(failed);
            assertTrue(json.contains("\"errorCode\":\"analysis-failed\""), json);
            assertTrue(json.contains("\"error\":"), "the message stays: " + json);
            assertTrue(ResultJson.compact(bad).contains("\"errorCode\":\"corrupt-image\""));
            ImageResult oom;
            try (Recommender oomy = twoFakes(c -> {
                throw new OutOfMemoryError("test");
            }, c -> 0.1)) {
                oom = oomy.recommendImage(good);
            }
            assertEquals(ImageErrorCode.ANALYSIS_FAILED, oom.errorCode(), oom.error());
            // in a folder too, batch by batch
            Path folder = dir.resolve("mixed");
            TestImages.writePng(folder.resolve("a.png"), 40, 30, Color.RED);
            TestImages.writePng(folder.resolve("b.png"), 40, 30, Color.BLUE);
            ProfileResult profile = recommender.recommendProfile(folder);
            assertEquals(ImageErrorCode.ANALYSIS_FAILED, profile.imageResults().get(0).errorCode());
            assertNotNull(profile.imageResults().get(0).errorId());
        }
    }

    @Test
    void aClosedRecommenderSaysSoFromEveryPublicMethod() throws Exception {
        Path image = TestImages.writePng(dir.resolve("a.png"), 40, 30, Color.RED);
        Recommender recommender = twoFakes(ServeFixtures::redness, c -> 0.1);
        assertEquals(ImageStatus.ANALYSED, recommender.recommendImage(image).status());
        recommender.close();
        recommender.close(); // a second close does nothing
        RgbImage decoded = io.img2rec.core.image.ImageDecoder.decode(image);
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                recommender::labels, recommender::thresholds, recommender::registry, recommender::options,
                () -> recommender.recommendImage(image), () -> recommender.recommendImage(image, "a"),
                () -> recommender.recommendImage(new byte[] {1, 2, 3}, "b"),
                () -> recommender.analyse(decoded, "a", "sha"), () -> recommender.recommendProfile(dir),
                () -> recommender.recommendProfiles(dir));
        for (var call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().startsWith("this Recommender is closed"), e.getMessage());
        }
    }

    @Test
    void closeWaitsForACallInProgressAndLaterCallsAreRefused() throws Exception {
        Path image = TestImages.writePng(dir.resolve("a.png"), 40, 30, Color.RED);
        CountDownLatch inModel = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recommender recommender = twoFakes(crop -> {
            inModel.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0.7;
        }, crop -> 0.2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ImageResult> call = pool.submit(() -> recommender.recommendImage(image));
            assertTrue(inModel.await(30, TimeUnit.SECONDS));
            Future<?> closing = pool.submit(recommender::close);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> closing.get(200, TimeUnit.MILLISECONDS),
                    "close returned while a call was inside a model");
            release.countDown();
            assertEquals(ImageStatus.ANALYSED, call.get(30, TimeUnit.SECONDS).status(), "the call in progress ends");
            closing.get(30, TimeUnit.SECONDS);
            assertThrows(IllegalStateException.class, () -> recommender.recommendImage(image));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * Thread 1 passes the vgg16 model and waits inside the resnet50 model until thread 2 is inside the vgg16 model:
     * with one lock for all models (or for the Recommender) thread 2 could never get there, and the wait would fail.
     */
    @Test
    void twoCallersAreInsideTwoDifferentModelsAtTheSameTime() throws Exception {
        Path image = TestImages.writePng(dir.resolve("a.png"), 40, 30, Color.RED);
        AtomicInteger vggCalls = new AtomicInteger();
        CountDownLatch firstInResnet = new CountDownLatch(1);
        CountDownLatch secondInVgg = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        // batching off: with it every network runs on the batcher's one thread (the batching test is above)
        try (Recommender recommender = twoFakes(crop -> {
            if (vggCalls.incrementAndGet() == 2) {
                secondInVgg.countDown();
            }
            return 0.7;
        }, crop -> {
            firstInResnet.countDown();
            try {
                if (secondInVgg.await(30, TimeUnit.SECONDS)) {
                    overlapped.set(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0.3;
        }, java.time.Duration.ZERO)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<ImageResult> first = pool.submit(() -> recommender.recommendImage(image));
                assertTrue(firstInResnet.await(30, TimeUnit.SECONDS), "the first caller reached the second model");
                Future<ImageResult> second = pool.submit(() -> recommender.recommendImage(image));
                assertEquals(ImageStatus.ANALYSED, second.get(30, TimeUnit.SECONDS).status());
                assertEquals(ImageStatus.ANALYSED, first.get(30, TimeUnit.SECONDS).status());
                assertTrue(overlapped.get(), "the second caller ran the first model while the first caller was "
                        + "inside the second");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void haarDetectorLoadsTheShippedCascadeAndFindsNoFaceInNoise() {
        try (HaarFaceDetector detector = new HaarFaceDetector()) {
            RgbImage blank = io.img2rec.core.image.ImageDecoder.fromBufferedImage(TestImages.solid(200, 200, Color.GRAY));
            assertEquals(List.of(), detector.detect(blank));
        }
    }
}
