package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileStoreTest {
    @TempDir
    Path dir;

    private static ImageResult image(String name, double hat, double beard) {
        Map<String, Double> scores = Map.of("hat", hat, "beard", beard);
        List<String> positives = new ArrayList<>();
        if (beard >= 0.5) {
            positives.add("beard");
        }
        if (hat >= 0.5) {
            positives.add("hat");
        }
        return new ImageResult(name, "sha-" + name, ImageStatus.ANALYSED, null, 10, 10, false, List.of(), List.of(),
                scores, positives, 0, Recommendation.nothing());
    }

    @Test
    void sameImageTwiceCountsOnceAndStateSurvivesReopening() throws Exception {
        Path db = dir.resolve("profiles.db");
        try (ProfileStore store = ProfileStore.open(db)) {
            assertTrue(store.add("alice", image("a.jpg", 0.9, 0.1)).added());
            assertFalse(store.add("alice", image("a.jpg", 0.9, 0.1)).added());
            var update = store.add("alice", image("b.jpg", 0.2, 0.8));
            assertEquals(2, update.state().imagesSeen());
            assertEquals("hat", update.state().recommendation().product()); // shares tie at 1/2: hat best 0.9 > beard 0.8
        }
        try (ProfileStore store = ProfileStore.open(db)) {
            ProfileState state = store.state("alice").orElseThrow();
            assertEquals(2, state.imagesAnalysed());
            assertEquals(0.5, state.tallies().get(1).share());
            assertTrue(store.state("bob").isEmpty());
        }
    }

    @Test
    void concurrentUpdatesCountEveryDistinctImageExactlyOnce() throws Exception {
        try (ProfileStore store = ProfileStore.open(dir.resolve("p.db"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) { // every thread sends the same 25 images: 200 requests, 25 images
                        store.add("carol", image("img" + i + ".jpg", i % 5 == 0 ? 0.9 : 0.1, 0.1));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            ProfileState state = store.state("carol").orElseThrow();
            assertEquals(25, state.imagesSeen());
            assertEquals(5, state.tallies().stream().filter(t -> t.label().equals("hat")).findFirst().orElseThrow()
                    .positiveImages());
            assertEquals("hat", state.recommendation().product());
        }
    }

    @Test
    void refusesPathLikeProfileIdsAndErrorResults() throws Exception {
        try (ProfileStore store = ProfileStore.open(dir.resolve("p.db"))) {
            assertThrows(IllegalArgumentException.class, () -> store.add("../etc", image("a.jpg", 0.9, 0.1)));
            assertThrows(IllegalArgumentException.class, () -> store.add("ok", ImageResult.error("x", null, "bad")));
        }
    }
}
