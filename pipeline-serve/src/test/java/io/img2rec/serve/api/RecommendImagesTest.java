package io.img2rec.serve.api;

import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.rules.ImageErrorCode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Recommender#recommendImages}: a caller's list of files scored as recommendProfile scores a folder. */
class RecommendImagesTest {
    @TempDir
    Path dir;

    @Test
    void aListOfAFoldersFilesGetsTheResultsOfRecommendProfileInItsOrder() throws Exception {
        long seed = 5;
        for (String label : ServeFixtures.LABELS) {
            ServeFixtures.writeTiny(dir.resolve("models"), "vgg16", label, seed++);
        }
        Path profile = dir.resolve("alice");
        for (int i = 0; i < 5; i++) {
            TestImages.write(profile.resolve("img" + i + ".png"),
                    TestImages.encode(TestImages.noise(100 + 7 * i, 90, i), "png"));
        }
        Files.write(profile.resolve("broken.jpg"), new byte[] {1, 2, 3});
        Files.createDirectories(profile.resolve("sub.jpg"));
        try (Recommender recommender = Recommender.builder()
                .models(ModelRegistry.load(List.of(dir.resolve("models")), ServeFixtures.LABELS))
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)
                        .withBatchSize(2))
                .build()) {
            ProfileResult folder = recommender.recommendProfile(profile);
            List<Path> files = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (ImageResult r : folder.imageResults()) {
                files.add(profile.resolve(r.name()));
                names.add(r.name());
            }
            assertEquals(folder.imageResults(), recommender.recommendImages(files, names));

            List<ImageResult> withFolder = recommender.recommendImages(List.of(profile.resolve("sub.jpg")),
                    List.of("sub.jpg"));
            assertEquals(ImageErrorCode.UNREADABLE, withFolder.get(0).errorCode(), "a folder is not an image");
            assertThrows(IllegalArgumentException.class, () -> recommender.recommendImages(files, List.of("x")));
        }
    }
}
