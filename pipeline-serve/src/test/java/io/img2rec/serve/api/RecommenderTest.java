package io.img2rec.serve.api;

import io.img2rec.core.image.RgbImage;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.face.FaceDetector;
import io.img2rec.serve.face.HaarFaceDetector;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.registry.ModelRegistry;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    @Test
    void haarDetectorLoadsTheShippedCascadeAndFindsNoFaceInNoise() {
        try (HaarFaceDetector detector = new HaarFaceDetector()) {
            RgbImage blank = io.img2rec.core.image.ImageDecoder.fromBufferedImage(TestImages.solid(200, 200, Color.GRAY));
            assertEquals(List.of(), detector.detect(blank));
        }
    }
}
