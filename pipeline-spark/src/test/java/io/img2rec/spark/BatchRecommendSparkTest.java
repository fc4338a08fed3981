package io.img2rec.spark;

import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions.FaceMode;
import io.img2rec.serve.face.CropBox;
import io.img2rec.serve.rules.FaceResult;
import io.img2rec.serve.rules.ImageErrorCode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.ProfileResult;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchRecommendSparkTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path models;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkFixtures.session();
        models = SparkFixtures.tinyModels(dir.resolve("models"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorRecommenders.closeAll();
    }

    private static Map<String, Row> byKey(Dataset<Row> table, String... columns) {
        Map<String, Row> out = new TreeMap<>();
        for (Row row : table.collectAsList()) {
            List<String> key = new ArrayList<>();
            for (String c : columns) {
                key.add(row.getAs(c));
            }
            out.put(String.join("/", key), row);
        }
        return out;
    }

    @Test
    void profilesAndImagesOnSparkEqualTheSingleMachineRecommenderExactly() throws Exception {
        Path root = dir.resolve("profiles");
        SparkFixtures.sampleProfile(root.resolve("beard-fan"), "beard", 3);
        SparkFixtures.sampleProfile(root.resolve("hat-fan"), "hat", 3);
        SparkFixtures.sampleProfile(root.resolve("eyewear-fan"), "eyewear", 2);
        SparkFixtures.noiseProfile(root.resolve("noise"), 3, 5);
        SparkFixtures.peopleProfile(root.resolve("people"));
        List<BadInputCorpus.Item> corpus = BadInputCorpus.write(root.resolve("corpus"));
        // batches of 4 crops: consecutive images share a batch, as in recommendProfile
        RecommenderSpec spec = RecommenderSpec.of(List.of(models.toString()))
                .withFaces(FaceMode.FACES_OR_WHOLE_IMAGE).withBatchSize(4);
        int loadsBefore = ExecutorRecommenders.loads();

        BatchRecommendJob job = new BatchRecommendJob(spark, BatchRecommendJob.Settings.of(spec).withPartitions(3));
        BatchRecommendJob.Outcome outcome = job.run(ImageInputs.folders(spark, root.toString()),
                dir.resolve("out-folders").toString());

        assertEquals(loadsBefore + 1, ExecutorRecommenders.loads(),
                "the models are loaded once for the JVM, not once per partition or task (3 partitions, 2 cores)");
        Map<String, Row> profiles = byKey(spark.read().parquet(outcome.profilesTable()), "profile");
        Map<String, Row> images = byKey(spark.read().parquet(outcome.imagesTable()), "profile", "name");
        assertEquals(List.of("beard-fan", "corpus", "eyewear-fan", "hat-fan", "noise", "people"),
                List.copyOf(profiles.keySet()));

        int faces = 0;
        int found = 0;
        try (Recommender single = spec.load()) {
            for (String profile : profiles.keySet()) {
                ProfileResult expected = single.recommendProfile(root.resolve(profile));
                Row row = profiles.get(profile);
                assertEquals(expected.images(), (int) row.getAs("images"), profile);
                assertEquals(expected.imagesAnalysed(), (int) row.getAs("images_analysed"), profile);
                assertEquals(expected.imagesNoFace(), (int) row.getAs("images_no_face"), profile);
                assertEquals(expected.imagesFailed(), (int) row.getAs("images_failed"), profile);
                assertEquals(expected.tallies(), ProfileRows.tallies(row), profile + ": tallies (counts, shares, "
                        + "best scores and images) equal to the last bit");
                assertEquals(expected.recommendation(), ProfileRows.recommendation(row), profile);
                if (expected.recommendation().found()) {
                    found++;
                    assertEquals(root.resolve(profile).resolve(expected.recommendation().image()).toString(),
                            row.getAs("chosen_image_path"));
                }
                for (ImageResult image : expected.imageResults()) {
                    Row r = images.get(profile + "/" + image.name());
                    assertNotNull(r, profile + "/" + image.name() + " has a row");
                    assertImageRowEquals(image, r);
                    faces += image.faces().stream().filter(f -> f.detected() != null).count();
                }
                assertEquals(expected.imageResults().size(),
                        images.keySet().stream().filter(k -> k.startsWith(profile + "/")).count(), profile);
            }
        }
        assertTrue(found > 0, "at least one profile gets a product (the comparison is not only of empty results)");
        assertTrue(faces > 0, "faces were detected and their boxes compared");

        // the bad-input corpus: each file is an error row with its code or a scored row, never a failed task
        for (BadInputCorpus.Item item : corpus) {
            Row r = images.get("corpus/" + item.name());
            if (item.kind() == BadInputCorpus.Kind.DIRECTORY) {
                assertNull(r, "a folder inside a profile is not an image of it (as recommendProfile)");
                continue;
            }
            assertNotNull(r, item.name());
            if (item.serve().isPresent()) {
                assertEquals("error", r.getAs("status"), item.name());
                assertEquals(ImageErrorCode.of(item.serve().get()).code(), r.getAs("error_code"), item.name());
            } else {
                assertEquals("analysed", r.getAs("status"), item.name() + ": " + r.getAs("error"));
            }
        }
        long corpusErrors = corpus.stream().filter(i -> i.serve().isPresent()).count();
        assertEquals(corpusErrors, outcome.imageErrors());
    }

    private static void assertImageRowEquals(ImageResult expected, Row row) {
        String what = row.getAs("profile") + "/" + expected.name();
        assertEquals(ImageRows.statusCode(expected.status()), row.getAs("status"), what);
        assertEquals(expected.sha256(), row.getAs("sha256"), what);
        assertEquals(expected.errorCode() == null ? null : expected.errorCode().code(), row.getAs("error_code"), what);
        assertEquals(expected.labelScores(), new HashMap<>(row.<String, Double>getJavaMap(
                row.fieldIndex("label_scores"))), what);
        assertEquals(expected.positives(), row.getList(row.fieldIndex("positives")), what);
        assertEquals(expected.bestFace(), row.getAs("best_face"), what);
        assertEquals(expected.recommendation().product(), row.getAs("product"), what);
        assertEquals(expected.wholeImage(), row.getAs("whole_image"), what);
        List<Row> faces = row.getList(row.fieldIndex("faces"));
        assertEquals(expected.faces().size(), faces.size(), what);
        for (int i = 0; i < faces.size(); i++) {
            FaceResult f = expected.faces().get(i);
            Row face = faces.get(i);
            Row crop = face.getAs("crop");
            assertEquals(f.crop(), new CropBox(crop.getInt(0), crop.getInt(1), crop.getInt(2), crop.getInt(3)), what);
            Row detected = face.getAs("detected");
            assertEquals(f.detected() == null, detected == null, what);
            if (detected != null) {
                assertEquals(List.of(f.detected().top(), f.detected().right(), f.detected().bottom(),
                        f.detected().left()), List.of(detected.getInt(0), detected.getInt(1), detected.getInt(2),
                        detected.getInt(3)), what);
            }
            assertEquals(f.scores(), new HashMap<>(face.<String, Double>getJavaMap(face.fieldIndex("scores"))), what);
            Map<String, Map<String, Double>> perModel = new HashMap<>();
            face.<String, scala.collection.Map<String, Double>>getJavaMap(face.fieldIndex("model_scores"))
                    .forEach((label, byArch) -> perModel.put(label,
                            new HashMap<>(scala.jdk.javaapi.CollectionConverters.asJava(byArch))));
            assertEquals(f.modelScores(), perModel, what + ": per-model scores");
        }
    }

    @Test
    void aTableWithRepeatedImagesCountsEachOnceAndReRunsAndAppendedRowsDoNotDoubleCount() throws Exception {
        Path imgs = dir.resolve("table-images");
        Files.createDirectories(imgs);
        for (String name : List.of("a.png", "b.png", "c.png")) {
            TestImages.write(imgs.resolve(name), TestImages.encode(TestImages.noise(90, 80, name.hashCode()), "png"));
        }
        Files.copy(imgs.resolve("b.png"), imgs.resolve("b-copy.png"));
        Path csv = dir.resolve("rows.csv");
        List<String> lines = new ArrayList<>(List.of("profile,image"));
        for (String name : List.of("a.png", "b.png", "b-copy.png", "a.png", "c.png")) {
            lines.add("p1," + imgs.resolve(name));
        }
        lines.add("p2," + imgs.resolve("a.png"));
        lines.add("p2,file:" + imgs.resolve("missing.png"));
        Files.write(csv, lines);
        RecommenderSpec spec = RecommenderSpec.of(List.of(models.toString())).withFaces(FaceMode.WHOLE_IMAGE);
        BatchRecommendJob job = new BatchRecommendJob(spark, BatchRecommendJob.Settings.of(spec));
        String out = dir.resolve("out-table").toString();

        BatchRecommendJob.Outcome first = job.run(ImageInputs.read(spark, csv.toString(), ImageInputs.Format.CSV), out);
        List<Row> firstProfiles = sorted(spark.read().parquet(first.profilesTable()));
        int loads = ExecutorRecommenders.loads();
        BatchRecommendJob.Outcome again = job.run(ImageInputs.read(spark, csv.toString(), ImageInputs.Format.CSV), out);
        List<Row> againProfiles = sorted(spark.read().parquet(again.profilesTable()));

        assertEquals(loads, ExecutorRecommenders.loads(), "a second job in the same JVMs reuses the loaded models");
        assertEquals(firstProfiles, againProfiles, "a re-run replaces its output");
        assertEquals(5, again.images(), "p1: a, b (b-copy has the same bytes), c; p2: a, missing");
        Map<String, Row> profiles = byKey(spark.read().parquet(again.profilesTable()), "profile");
        assertEquals(3, (int) profiles.get("p1").getAs("images"));
        assertEquals(3, (int) profiles.get("p1").getAs("images_analysed"));
        assertEquals(2, (int) profiles.get("p2").getAs("images"));
        assertEquals(1, (int) profiles.get("p2").getAs("images_failed"));
        Map<String, Row> images = byKey(spark.read().parquet(again.imagesTable()), "profile", "name");
        assertEquals(List.of("p1/a.png", "p1/b-copy.png", "p1/c.png", "p2/a.png", "p2/missing.png"),
                List.copyOf(images.keySet()), "of two names for the same bytes the first by name (b-copy < b) is kept");
        assertEquals(ImageErrorCode.UNREADABLE.code(), images.get("p2/missing.png").getAs("error_code"));
        assertEquals(images.get("p1/a.png").<String>getAs("sha256"), images.get("p2/a.png").getAs("sha256"));

        // a retried task's or an appended re-run's rows seen twice: the aggregation still counts each image once
        Dataset<Row> written = spark.read().parquet(again.imagesTable());
        List<String> labels = job.labels();
        assertEquals(SparkFixtures.LABELS, labels);
        assertEquals(sorted(BatchRecommendJob.aggregateProfiles(written, labels)),
                sorted(BatchRecommendJob.aggregateProfiles(written.union(written), labels)));
        assertEquals(againProfiles, sorted(BatchRecommendJob.aggregateProfiles(written.union(written), labels)));
    }

    private static List<Row> sorted(Dataset<Row> table) {
        return table.collectAsList().stream().sorted(Comparator.comparing(r -> r.<String>getAs("profile")))
                .collect(Collectors.toList());
    }

    /** Fails the first attempt of the first task that has rows, after taking one of them; counts how often. */
    static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (rows.hasNext() && FAILURES.compareAndSet(0, 1)) {
                rows.next();
                throw new IllegalStateException("injected failure of task attempt "
                        + TaskContext.get().attemptNumber());
            }
            return rows;
        }
    }

    @Test
    void aTaskThatFailsHalfWayAndIsRetriedCountsEachImageOnce() throws Exception {
        Path root = dir.resolve("retry-profiles");
        SparkFixtures.noiseProfile(root.resolve("r1"), 3, 70);
        SparkFixtures.noiseProfile(root.resolve("r2"), 2, 80);
        RecommenderSpec spec = RecommenderSpec.of(List.of(models.toString())).withFaces(FaceMode.WHOLE_IMAGE);
        BatchRecommendJob job = new BatchRecommendJob(spark, BatchRecommendJob.Settings.of(spec).withPartitions(2));
        List<String> labels = job.labels();
        int loads = ExecutorRecommenders.loads();
        String table = dir.resolve("retry-images").toString();

        Dataset<Row> scored = job.scoreImages(ImageInputs.folders(spark, root.toString()));
        BatchRecommendJob.dedupe(scored.mapPartitions(new FailFirstAttempt(), Encoders.row(ImageRows.SCHEMA)))
                .write().parquet(table);

        assertEquals(1, FailFirstAttempt.FAILURES.get(), "one task failed after scoring and was retried");
        assertEquals(loads, ExecutorRecommenders.loads(), "the retry reused the loaded models");
        Dataset<Row> images = spark.read().parquet(table);
        assertEquals(5, images.count(), "the failed attempt's rows are not in the output");
        Map<String, Row> profiles = byKey(BatchRecommendJob.aggregateProfiles(images, labels), "profile");
        assertEquals(3, (int) profiles.get("r1").getAs("images_analysed"));
        assertEquals(2, (int) profiles.get("r2").getAs("images_analysed"));
    }

    @Test
    void theSparkSubmitEntryWritesBothTablesAndNamesAMissingColumn() throws Exception {
        Path root = dir.resolve("cli-profiles");
        SparkFixtures.noiseProfile(root.resolve("solo"), 2, 40);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String output = dir.resolve("out-cli").toString();
        int code = SparkRecommendMain.run(new String[] {"--input", root.toString(), "--models", models.toString(),
                "--faces", "WHOLE_IMAGE", "--output", output}, spark,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("images: 2 (0 error rows)"), out.toString());
        Row solo = spark.read().parquet(output + "/profiles").collectAsList().get(0);
        assertEquals("solo", solo.getAs("profile"));
        assertEquals(2, (int) solo.getAs("images_analysed"));

        Path badCsv = dir.resolve("bad.csv");
        Files.write(badCsv, List.of("user,photo", "x,y.png"));
        err.reset();
        code = SparkRecommendMain.run(new String[] {"--input", badCsv.toString(), "--input-format", "csv",
                "--models", models.toString(), "--output", dir.resolve("out-bad").toString()}, spark,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertNotEquals(0, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no column 'profile'"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void executorThreadsDefaultToTheTaskCpusUnlessTheSubmitterSetThem() {
        var conf = new org.apache.spark.SparkConf(false).set("spark.task.cpus", "2")
                .set("spark.executorEnv.MKL_NUM_THREADS", "3");
        SparkRecommendMain.executorThreads(conf, 0);
        assertEquals("2", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("2", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
        assertEquals("3", conf.get("spark.executorEnv.MKL_NUM_THREADS"));
        assertEquals("4", SparkRecommendMain.executorThreads(new org.apache.spark.SparkConf(false), 4)
                .get("spark.executorEnv.OMP_NUM_THREADS"));
    }
}
