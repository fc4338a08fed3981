package io.img2rec.spark;

import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions.FaceMode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.store.ProfileState;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.testing.ThrowawayPostgres;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job's {@code --store}: after it, each profile in the store (PostgreSQL, as several servers share it; SQLite in
 * local mode) is what the store holds when the single-machine Recommender's results for the same images are added
 * through {@link ProfileStore#add}, the server's path; a second run, or a write task that fails half-way and is
 * retried, leaves the same state.
 */
@ExtendWith(ThrowawayPostgres.Extension.class)
class ProfileStoreSparkTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path models;
    static Path root;
    static RecommenderSpec spec;
    /** What the single-machine path stores, per profile (computed once, on a SQLite file). */
    static Map<String, ProfileState> expected;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkFixtures.session();
        models = SparkFixtures.tinyModels(dir.resolve("models"));
        root = dir.resolve("profiles");
        SparkFixtures.sampleProfile(root.resolve("beard-fan"), "beard", 2);
        SparkFixtures.sampleProfile(root.resolve("hat-fan"), "hat", 2);
        SparkFixtures.peopleProfile(root.resolve("people"));
        SparkFixtures.noiseProfile(root.resolve("noise"), 3, 5);
        // the same bytes under two names (counted once, by the first name), and files that are error rows
        Files.copy(root.resolve("noise/noise-1.png"), root.resolve("noise/a-copy.png"));
        List<BadInputCorpus.Item> corpus = BadInputCorpus.write(dir.resolve("corpus"));
        Path mixed = root.resolve("mixed");
        Files.createDirectories(mixed);
        for (BadInputCorpus.Item item : corpus) {
            if (List.of("empty.jpg", "page.jpg", "grey.png", "cmyk.jpg").contains(item.name())) {
                Files.copy(dir.resolve("corpus").resolve(item.name()), mixed.resolve(item.name()));
            }
        }
        spec = RecommenderSpec.of(List.of(models.toString())).withFaces(FaceMode.FACES_OR_WHOLE_IMAGE)
                .withBatchSize(4);
        expected = singleMachine(dir.resolve("expected.db").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorProfileStores.closeAll();
        ExecutorRecommenders.closeAll();
    }

    /** The server's path: the single-machine Recommender's result for each image, added to a store. */
    private static Map<String, ProfileState> singleMachine(String location) throws Exception {
        Map<String, ProfileState> states = new TreeMap<>();
        try (Recommender single = spec.load(); ProfileStore store = ProfileStore.open(location);
             var profiles = Files.list(root)) {
            for (Path folder : profiles.sorted().toList()) {
                String profile = folder.getFileName().toString();
                for (ImageResult image : single.recommendProfile(folder).imageResults()) {
                    if (image.status() != ImageStatus.ERROR) {
                        store.add(profile, image);
                    }
                }
                states.put(profile, store.state(profile).orElseThrow());
            }
        }
        return states;
    }

    private static Map<String, ProfileState> states(String location) throws Exception {
        Map<String, ProfileState> states = new TreeMap<>();
        try (ProfileStore store = ProfileStore.open(location)) {
            for (String profile : expected.keySet()) {
                store.state(profile).ifPresent(s -> states.put(profile, s));
            }
        }
        return states;
    }

    /** A state without its time of update (the only part that depends on when it was written). */
    private static Map<String, ProfileState> timeless(Map<String, ProfileState> states) {
        Map<String, ProfileState> out = new TreeMap<>();
        states.forEach((k, s) -> out.put(k, new ProfileState(s.profile(), s.imagesSeen(), s.imagesAnalysed(),
                s.tallies(), s.recommendation(), "")));
        return out;
    }

    private static String[] args(String output, String store) {
        return new String[] {"--input", root.toString(), "--models", models.toString(), "--faces",
                "FACES_OR_WHOLE_IMAGE", "--batch-size", "4", "--partitions", "3", "--output", output, "--store", store};
    }

    private static int main(String[] args, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        out.reset();
        err.reset();
        return SparkRecommendMain.run(args, spark, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theJobLeavesEachProfileInPostgresAsTheServerPathWouldAndARunAgainChangesNothing(ThrowawayPostgres pg)
            throws Exception {
        String url = pg.newDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertTrue(expected.get("noise").imagesSeen() == 3 && expected.get("mixed").imagesSeen() == 2,
                "the fixture: a copy counted once, the two error files not stored: " + expected);
        assertTrue(expected.values().stream().anyMatch(s -> s.recommendation().found())
                        && expected.values().stream().anyMatch(s -> s.tallies().stream()
                        .anyMatch(t -> t.positiveImages() > 0 && t.bestImage() != null)),
                "some profile has positive images and a product: the comparison is not only of empty states");

        int code = main(args(dir.resolve("out-pg").toString(), url), out, err);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        int stored = expected.values().stream().mapToInt(ProfileState::imagesSeen).sum();
        assertTrue(printed.contains("profile store " + url + " at schema version 1"), printed);
        assertTrue(printed.contains("profile store: " + stored + " images (" + stored + " new to their profile)"),
                printed);
        Map<String, ProfileState> first = states(url);
        assertEquals(timeless(expected), timeless(first), "per profile: images seen and analysed, tallies (positive "
                + "images, shares, best scores and images), recommendation");

        code = main(args(dir.resolve("out-pg-again").toString(), url), out, err);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("profile store: " + stored + " images (0 new"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(first, states(url), "a second run adds nothing and changes nothing, not even the times");
        assertEquals(stored, count(url, "SELECT COUNT(*) FROM profile_image"));
    }

    /** Fails the first attempt of one write task after letting two of its rows through to the store. */
    static final class FailAfterTwoRows implements MapPartitionsFunction<Row, Row> {
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            boolean fail = TaskContext.get().partitionId() == 0 && TaskContext.get().attemptNumber() == 0;
            return new Iterator<>() {
                int passed;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    if (!rows.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    if (fail && passed == 2 && FAILURES.compareAndSet(0, 1)) {
                        throw new IllegalStateException("injected failure of write task attempt 0 after two adds");
                    }
                    passed++;
                    return rows.next();
                }
            };
        }
    }

    @Test
    void aWriteTaskThatFailsAfterAddingAndIsRetriedLeavesTheSameState(ThrowawayPostgres pg) throws Exception {
        String url = pg.newDatabase();
        BatchRecommendJob job = new BatchRecommendJob(spark, BatchRecommendJob.Settings.of(spec).withPartitions(3));
        String output = dir.resolve("out-retry").toString();
        job.run(ImageInputs.folders(spark, root.toString()), output);
        StoreTarget target = StoreTarget.opened(url, 2, spark.sparkContext().master()).target();

        // one partition holds every row: the failure lands after two committed adds of the first profile
        BatchRecommendJob.StoreWrites writes = job.addToStore(BatchRecommendJob.storeRows(
                spark.read().parquet(output + "/images"), 1).mapPartitions(new FailAfterTwoRows(),
                Encoders.row(ImageRows.SCHEMA)), target);

        assertEquals(1, FailAfterTwoRows.FAILURES.get(), "one write task failed after two adds and was retried");
        int stored = expected.values().stream().mapToInt(ProfileState::imagesSeen).sum();
        assertEquals(stored, writes.rows(), "the successful attempt handed every row to the store");
        assertEquals(stored - 2, writes.added(), "the two the failed attempt added were there already for the retry");
        assertEquals(timeless(expected), timeless(states(url)));
        assertEquals(stored, count(url, "SELECT COUNT(*) FROM profile_image"));
    }

    @Test
    void aSqliteFileWorksInLocalModeAndIsRefusedForAClusterMaster() throws Exception {
        String file = dir.resolve("spark-profiles.db").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, main(args(dir.resolve("out-sqlite").toString(), file), out, err),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(timeless(expected), timeless(states(file)));

        for (String master : List.of("yarn", "spark://host:7077", "local-cluster[2,1,1024]", "k8s://https://h:6443")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StoreTarget.requireReachableByExecutors(file, master));
            assertTrue(e.getMessage().contains("SQLite file") && e.getMessage().contains(master)
                    && e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
        }
        StoreTarget.requireReachableByExecutors("jdbc:postgresql://db:5432/profiles", "yarn");
        StoreTarget.requireReachableByExecutors(file, "local[4]");
    }

    @Test
    void aNewerSchemaAndProfileIdsTheStoreRefusesFailBeforeAnythingIsScored(ThrowawayPostgres pg) throws Exception {
        String url = pg.newDatabase();
        ProfileStore.open(url).close();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', "
                    + "now())");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int loads = ExecutorRecommenders.loads();
        assertEquals(1, main(args(dir.resolve("out-newer").toString(), url), out, err));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("schema version 99") && message.contains("newer"), message);
        assertEquals(0, count(url, "SELECT COUNT(*) FROM profile_image"), "nothing written");

        Path csv = dir.resolve("bad-ids.csv");
        Files.write(csv, List.of("profile,image", "good," + root.resolve("noise/noise-0.png"),
                "has space," + root.resolve("noise/noise-1.png"), ".hidden," + root.resolve("noise/noise-2.png")));
        String fresh = pg.newDatabase();
        assertEquals(1, main(new String[] {"--input", csv.toString(), "--input-format", "csv", "--models",
                models.toString(), "--output", dir.resolve("out-ids").toString(), "--store", fresh}, out, err));
        message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("'has space'") && message.contains("'.hidden'") && message.contains("1-64"),
                message);
        assertEquals(loads, ExecutorRecommenders.loads(), "refused before the models were asked for");
        assertEquals(0, count(fresh, "SELECT COUNT(*) FROM profile_image"));
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
