package io.img2rec.serve.api;

import io.img2rec.core.image.RgbImage;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.face.FaceDetector;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.testing.ServeFixtures;
import io.img2rec.core.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class NoUsableFaceMessageTest {
    @TempDir
    Path dir;

    private record Faces(List<FaceBox> boxes) implements FaceDetector {
        @Override
        public List<FaceBox> detect(RgbImage image) {
            return boxes;
        }

        @Override
        public void close() {
        }
    }

    private ImageResult recommend(List<FaceBox> faces) throws Exception {
        ServeFixtures.writeTiny(dir.resolve("models"), "vgg16", "hat", 3);
        Path photo = dir.resolve("photo.png");
        java.nio.file.Files.write(photo, TestImages.encode(TestImages.noise(400, 400, 5), "png"));
        try (Recommender recommender = Recommender.builder()
                .models(ModelRegistry.load(List.of(dir.resolve("models")), List.of("hat")))
                .faceDetector(new Faces(faces)).build()) {
            return recommender.recommendImage(photo);
        }
    }

    @Test
    void anImageWithNoFaceSaysNoFaceFound() throws Exception {
        ImageResult result = recommend(List.of());
        assertEquals(ImageStatus.NO_FACE, result.status());
        assertEquals("no face found", result.recommendation().message());
        assertFalse(result.recommendation().found());
    }

    @Test
    void anImageWhoseFacesAreAllTooSmallSaysHowManyWereFound() throws Exception {
        ImageResult result = recommend(List.of(new FaceBox(10, 30, 30, 10), new FaceBox(50, 80, 80, 50)));
        assertEquals(ImageStatus.NO_FACE, result.status());
        assertEquals("no usable face (2 found, all too small)", result.recommendation().message());
        assertEquals(2, result.skippedFaces().size());
    }
}
