package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;
import io.img2rec.serve.testing.ThrowawayPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's contract, run against both implementations: the SQLite file and a real PostgreSQL server
 * ({@link ThrowawayPostgres}, started for the test run; these tests fail, never skip, when it cannot start).
 */
@ExtendWith(ThrowawayPostgres.Extension.class)
class ProfileStoreContractTest {
    @TempDir
    Path dir;

    /** Where a test's store lives, per implementation: a fresh file or a fresh database. */
    enum Kind {
        SQLITE, POSTGRESQL;

        String newLocation(Path dir, ThrowawayPostgres pg, String name) {
            return this == SQLITE ? dir.resolve(name + ".db").toString() : pg.newDatabase();
        }

        static Connection jdbc(String location) throws Exception {
            return DriverManager.getConnection(location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location);
        }
    }

    static ImageResult image(String name, double hat, double beard) {
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

    private static int hats(ProfileState state) {
        return state.tallies().stream().filter(t -> t.label().equals("hat")).findFirst().orElseThrow()
                .positiveImages();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sameImageTwiceCountsOnceAndStateSurvivesReopening(Kind kind, ThrowawayPostgres pg) throws Exception {
        String location = kind.newLocation(dir, pg, "profiles");
        try (ProfileStore store = ProfileStore.open(location)) {
            assertTrue(store.add("alice", image("a.jpg", 0.9, 0.1)).added());
            assertFalse(store.add("alice", image("a.jpg", 0.9, 0.1)).added());
            var update = store.add("alice", image("b.jpg", 0.2, 0.8));
            assertEquals(2, update.state().imagesSeen());
            assertEquals("hat", update.state().recommendation().product()); // shares tie at 1/2: hat best 0.9 > beard 0.8
        }
        try (ProfileStore store = ProfileStore.open(location)) {
            ProfileState state = store.state("alice").orElseThrow();
            assertEquals(2, state.imagesAnalysed());
            assertEquals(List.of("beard", "hat"), state.tallies().stream().map(t -> t.label()).toList());
            assertEquals(0.5, state.tallies().get(1).share());
            assertEquals("a.jpg", state.tallies().get(1).bestImage());
            assertEquals(0.9, state.tallies().get(1).bestScore());
            assertEquals("hat", state.recommendation().product());
            assertTrue(store.state("bob").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentUpdatesCountEveryDistinctImageExactlyOnce(Kind kind, ThrowawayPostgres pg) throws Exception {
        try (ProfileStore store = ProfileStore.open(kind.newLocation(dir, pg, "p"))) {
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
            assertEquals(5, hats(state));
            assertEquals("hat", state.recommendation().product());
        }
    }

    /**
     * Two stores (two connection pools, as two server processes hold) on one database, started together on the same
     * images of the same profiles: each distinct image is "added" exactly once across both, and the stored
     * recommendation is the one recomputed from all rows (no update computed from a stale view wins).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoStoresOnOneDatabaseAddEachImageOnceAcrossBoth(Kind kind, ThrowawayPostgres pg) throws Exception {
        String location = kind.newLocation(dir, pg, "shared");
        try (ProfileStore first = ProfileStore.open(location); ProfileStore second = ProfileStore.open(location)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> added = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                ProfileStore store = t % 2 == 0 ? first : second;
                int offset = t;
                added.add(pool.submit(() -> {
                    go.await();
                    int mine = 0;
                    for (int i = 0; i < 30; i++) {
                        int n = (i + offset * 7) % 30; // the same 30 images per profile, in different orders
                        if (store.add("p" + (n % 3), image("img" + n + ".jpg", n % 4 == 0 ? 0.9 : 0.2,
                                n % 6 == 0 ? 0.95 : 0.1)).added()) {
                            mine++;
                        }
                    }
                    return mine;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : added) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(30, total, "each of the 30 (profile, image) pairs added once across both stores");
            for (int p = 0; p < 3; p++) {
                ProfileState a = first.state("p" + p).orElseThrow();
                ProfileState b = second.state("p" + p).orElseThrow();
                assertEquals(10, a.imagesSeen());
                assertEquals(a, b);
            }
        }
        // the recommendation columns written by the last update equal the rule over all rows
        try (Connection c = Kind.jdbc(location); Statement s = c.createStatement();
             ProfileStore store = ProfileStore.open(location)) {
            for (int p = 0; p < 3; p++) {
                Recommendation expected = store.state("p" + p).orElseThrow().recommendation();
                try (ResultSet rs = s.executeQuery("SELECT product, image FROM profile WHERE id = 'p" + p + "'")) {
                    assertTrue(rs.next());
                    assertEquals(expected.product(), rs.getString(1), "stored product of p" + p);
                    assertEquals(expected.image(), rs.getString(2), "stored image of p" + p);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void storesOpeningOneNewDatabaseAtOnceMigrateItOnce(Kind kind, ThrowawayPostgres pg) throws Exception {
        String location = kind.newLocation(dir, pg, "fresh");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> versions = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            versions.add(pool.submit(() -> {
                go.await();
                try (ProfileStore store = ProfileStore.open(location)) {
                    return store.schemaVersion();
                }
            }));
        }
        go.countDown();
        for (Future<Integer> v : versions) {
            assertEquals(StoreSchema.CURRENT, v.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        try (Connection c = Kind.jdbc(location); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            rs.next();
            assertEquals(StoreSchema.MIGRATIONS.size(), rs.getInt(1), "each migration applied once");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void checkAnswersWhileOpenAndFailsOnceClosed(Kind kind, ThrowawayPostgres pg) throws Exception {
        ProfileStore store = ProfileStore.open(kind.newLocation(dir, pg, "check"));
        store.check();
        store.close();
        assertThrows(ProfileStoreException.class, store::check);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesPathLikeProfileIdsAndErrorResults(Kind kind, ThrowawayPostgres pg) throws Exception {
        try (ProfileStore store = ProfileStore.open(kind.newLocation(dir, pg, "p"))) {
            assertThrows(IllegalArgumentException.class, () -> store.add("../etc", image("a.jpg", 0.9, 0.1)));
            assertThrows(IllegalArgumentException.class, () -> store.add("ok",
                    ImageResult.error("x", null, io.img2rec.serve.rules.ImageErrorCode.CORRUPT_IMAGE, "bad")));
            assertTrue(store.state("ok").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void schemaIsAtTheCurrentVersionAndANewerOneIsRefusedNamingBothVersions(Kind kind, ThrowawayPostgres pg)
            throws Exception {
        String location = kind.newLocation(dir, pg, "versions");
        try (ProfileStore store = ProfileStore.open(location)) {
            assertEquals(StoreSchema.CURRENT, store.schemaVersion());
            store.add("dave", image("a.jpg", 0.9, 0.1));
        }
        try (ProfileStore again = ProfileStore.open(location)) { // reopening applies nothing twice
            assertEquals(StoreSchema.CURRENT, again.schemaVersion());
        }
        int newer = StoreSchema.CURRENT + 41;
        try (Connection c = Kind.jdbc(location); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
                rs.next();
                assertEquals(StoreSchema.MIGRATIONS.size(), rs.getInt(1));
                assertEquals(StoreSchema.CURRENT, rs.getInt(2));
            }
            s.executeUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (" + newer
                    + ", 'from the future', " + (kind == Kind.SQLITE ? "'2099-01-01T00:00:00Z'" : "now()") + ")");
        }
        SchemaTooNewException refused = assertThrows(SchemaTooNewException.class, () -> ProfileStore.open(location));
        assertEquals(newer, refused.found());
        assertEquals(StoreSchema.CURRENT, refused.supported());
        assertTrue(refused.getMessage().contains("schema version " + newer)
                && refused.getMessage().contains("schema version " + StoreSchema.CURRENT + " at most"),
                refused.getMessage());
        try (Connection c = Kind.jdbc(location); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM profile_image), "
                     + "(SELECT MAX(version) FROM schema_version)")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the refused open changed nothing");
            assertEquals(newer, rs.getInt(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aWriterKilledMidStreamLeavesOnlyWholeUpdatesAndLosesNoCommit(Kind kind, ThrowawayPostgres pg)
            throws Exception {
        String location = kind.newLocation(dir, pg, "killed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreWriterProcess.class.getName(), location)
                .redirectErrorStream(true).start();
        int lastCommitted = -1;
        StringBuilder output = new StringBuilder();
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
                } else if (output.length() < 4000) {
                    output.append(line).append('\n');
                }
            }
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(lastCommitted >= 40, "child stopped early at " + lastCommitted + ":\n" + output);
        try (ProfileStore store = ProfileStore.open(location)) {
            ProfileState state = store.state("victim").orElseThrow();
            int seen = state.imagesSeen();
            // the child may have committed a few more than we read before the kill landed; never fewer
            assertTrue(seen >= lastCommitted + 1, "committed " + (lastCommitted + 1) + " images, store has " + seen);
            int hats = (seen + 2) / 3; // images 0, 3, 6, ... are hats
            assertEquals(hats, hats(state));
        }
        try (Connection connection = Kind.jdbc(location); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT (SELECT COUNT(*) FROM profile_image), "
                     + "(SELECT COUNT(*) FROM profile_image_label)")) {
            rs.next();
            assertEquals(rs.getInt(1) * 3, rs.getInt(2), "every stored image has all three label rows");
        }
    }
}
