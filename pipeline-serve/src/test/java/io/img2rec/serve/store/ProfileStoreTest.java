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
            assertThrows(IllegalArgumentException.class, () -> store.add("ok",
                    ImageResult.error("x", null, io.img2rec.serve.rules.ImageErrorCode.CORRUPT_IMAGE, "bad")));
        }
    }

    @Test
    void aWriterKilledMidStreamLeavesOnlyWholeUpdatesAndLosesNoCommit() throws Exception {
        Path db = dir.resolve("killed.db");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreWriterProcess.class.getName(), db.toString())
                .redirectErrorStream(true).start();
        int lastCommitted = -1;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    lastCommitted = Integer.parseInt(line.substring("committed ".length()));
                    if (lastCommitted >= 40) {
                        child.destroyForcibly(); // SIGKILL on Linux, most likely inside the next transaction
                        break;
                    }
                }
            }
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(lastCommitted >= 40, "child stopped early at " + lastCommitted);
        try (ProfileStore store = ProfileStore.open(db)) {
            ProfileState state = store.state("victim").orElseThrow();
            int seen = state.imagesSeen();
            // the child may have committed a few more than we read before the kill landed; never fewer
            assertTrue(seen >= lastCommitted + 1, "committed " + (lastCommitted + 1) + " images, store has " + seen);
            int hats = (seen + 2) / 3; // images 0, 3, 6, ... are hats
            assertEquals(hats, state.tallies().stream().filter(t -> t.label().equals("hat")).findFirst().orElseThrow()
                    .positiveImages());
        }
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT (SELECT COUNT(*) FROM profile_image), "
                     + "(SELECT COUNT(*) FROM profile_image_label)")) {
            rs.next();
            assertEquals(rs.getInt(1) * 3, rs.getInt(2), "every stored image has all three label rows");
        }
    }
}
