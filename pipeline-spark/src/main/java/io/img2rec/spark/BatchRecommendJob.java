package io.img2rec.spark;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.RecommendationRules;
import io.img2rec.serve.store.ProfileStore;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Batch recommendations: input rows {@code (profile, image, name)} ({@link ImageInputs}) → per-image results
 * ({@link ImageRows}) → per-profile recommendations ({@link ProfileRows}), as Parquet.
 *
 * <ol>
 *   <li>Input rows are made distinct, hash-partitioned by profile and sorted by profile, name and path, so a profile's
 *   images are scored together in name order, as {@code Recommender.recommendProfile} scores a folder.</li>
 *   <li>Each partition is scored by {@link PartitionScorer} with the executor JVM's {@link ExecutorRecommenders}
 *   (models loaded once per JVM).</li>
 *   <li>Rows are de-duplicated per profile by image SHA-256 ({@link ImageDedupe}) and written to
 *   {@code <output>/images}.</li>
 *   <li>That table is read back, grouped by profile, de-duplicated again and aggregated by the serving rules
 *   ({@link RecommendationRules#forProfile(String, List, java.util.Collection)}), then written to
 *   {@code <output>/profiles}.</li>
 * </ol>
 * Both tables are overwritten: a re-run replaces its output, it never appends to it. With a profile store
 * ({@link StoreTarget}), a last stage adds the committed per-image rows to it ({@link ProfileStoreWriter}): the
 * server's add, keyed by profile and SHA-256, so a retried task or a re-run adds nothing twice.
 */
public final class BatchRecommendJob {
    /**
     * How the job runs (execution settings; results do not depend on them, except {@code chunkImages} for
     * profiles larger than it, see docs/SPARK.md).
     *
     * @param spec         the models and options
     * @param partitions   partitions of the scoring stage (0: Spark's default parallelism)
     * @param maxFileBytes images on a remote file system larger than this are error rows (not copied)
     * @param chunkImages  most images of one profile scored in one {@code recommendImages} call
     */
    public record Settings(RecommenderSpec spec, int partitions, long maxFileBytes, int chunkImages) {
        public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
        public static final int DEFAULT_CHUNK_IMAGES = 1024;

        public Settings {
            Objects.requireNonNull(spec, "spec");
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be >= 0 (0: default parallelism), got "
                        + partitions);
            }
            if (maxFileBytes < 1 || chunkImages < 1) {
                throw new IllegalArgumentException("maxFileBytes and chunkImages must be positive, got "
                        + maxFileBytes + " and " + chunkImages);
            }
        }

        public static Settings of(RecommenderSpec spec) {
            return new Settings(spec, 0, DEFAULT_MAX_FILE_BYTES, DEFAULT_CHUNK_IMAGES);
        }

        public Settings withPartitions(int value) {
            return new Settings(spec, value, maxFileBytes, chunkImages);
        }
    }

    /** What a run wrote. */
    public record Outcome(String imagesTable, String profilesTable, long images, long imageErrors, long profiles,
                          Optional<StoreWrites> store) {
    }

    /**
     * What the store stage did.
     *
     * @param location the store (no password)
     * @param rows     scored images handed to the store
     * @param added    of those, the ones new to their profile (counted by the successful task attempts: an image that
     *                 a failed attempt added before the retry counts as already present)
     */
    public record StoreWrites(String location, long rows, long added) {
    }

    private final SparkSession spark;
    private final Settings settings;

    public BatchRecommendJob(SparkSession spark, Settings settings) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Scores the input rows: one output row per distinct input row, not yet de-duplicated by content. */
    public Dataset<Row> scoreImages(Dataset<Row> input) {
        int partitions = partitions();
        Dataset<Row> rows = input.select(ImageRows.PROFILE, ImageRows.IMAGE, ImageRows.NAME).distinct()
                .repartition(partitions, functions.col(ImageRows.PROFILE))
                .sortWithinPartitions(ImageRows.PROFILE, ImageRows.NAME, ImageRows.IMAGE);
        PartitionScorer scorer = new PartitionScorer(settings.spec(),
                new HadoopConf(spark.sparkContext().hadoopConfiguration()), settings.maxFileBytes(),
                settings.chunkImages());
        return rows.mapPartitions(scorer, Encoders.row(ImageRows.SCHEMA));
    }

    /** One row per (profile, image content): {@link ImageDedupe} per profile. */
    public static Dataset<Row> dedupe(Dataset<Row> images) {
        return images.groupByKey((MapFunction<Row, String>) r -> r.getAs(ImageRows.PROFILE), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (profile, rows) ->
                        ImageDedupe.keep(() -> rows).iterator(), Encoders.row(ImageRows.SCHEMA));
    }

    /**
     * Per-profile recommendations from per-image rows (de-duplicated here again), by the serving rules over the
     * models' labels.
     */
    public static Dataset<Row> aggregateProfiles(Dataset<Row> images, List<String> labels) {
        List<String> labelList = List.copyOf(labels);
        return images.groupByKey((MapFunction<Row, String>) r -> r.getAs(ImageRows.PROFILE), Encoders.STRING())
                .mapGroups((MapGroupsFunction<String, Row, Row>) (profile, rows) -> {
                    List<ImageResult> results = new ArrayList<>();
                    Map<String, String> pathsByName = new HashMap<>();
                    for (Row row : ImageDedupe.keep(() -> rows)) {
                        results.add(ImageRows.forRules(row));
                        pathsByName.putIfAbsent(row.getAs(ImageRows.NAME), row.getAs(ImageRows.IMAGE));
                    }
                    ProfileResult result = RecommendationRules.forProfile(profile, results, labelList);
                    return ProfileRows.toRow(result, pathsByName);
                }, Encoders.row(ProfileRows.SCHEMA));
    }

    /** The models' labels, asked of an executor (the driver loads no model). */
    public List<String> labels() {
        RecommenderSpec spec = settings.spec();
        spark.sparkContext().setJobDescription("img2rec: load the models on an executor and read their labels");
        String joined = spark.createDataset(List.of(0), Encoders.INT())
                .map((MapFunction<Integer, String>) x -> String.join("\n", ExecutorRecommenders.get(spec).labels()),
                        Encoders.STRING())
                .collectAsList().get(0);
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
    }

    /** Scores the input and writes {@code <output>/images} and {@code <output>/profiles} (both overwritten). */
    public Outcome run(Dataset<Row> input, String output) {
        return run(input, output, Optional.empty());
    }

    /**
     * {@link #run(Dataset, String)}, then, with a store, adds the committed per-image rows to it. The store must have
     * been opened on the driver first ({@link StoreTarget#opened}: migrations, schema check); the input's profile ids
     * are checked against what the store allows before anything is scored.
     */
    public Outcome run(Dataset<Row> input, String output, Optional<StoreTarget> store) {
        String base = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
        String imagesTable = base + "/images";
        String profilesTable = base + "/profiles";
        if (store.isPresent()) {
            spark.sparkContext().setJobDescription("img2rec: check the profile ids for the profile store");
            requireStorableProfileIds(input, store.get());
        }
        List<String> labels = labels();
        spark.sparkContext().setJobDescription("img2rec: score images with models " + settings.spec().modelFolders());
        dedupe(scoreImages(input)).write().mode(SaveMode.Overwrite).parquet(imagesTable);
        spark.sparkContext().setJobDescription("img2rec: aggregate profiles by the serving rules");
        Dataset<Row> images = spark.read().parquet(imagesTable);
        aggregateProfiles(images, labels).write().mode(SaveMode.Overwrite).parquet(profilesTable);
        spark.sparkContext().setJobDescription("img2rec: count the results");
        Row counts = spark.read().parquet(imagesTable).agg(functions.count(functions.lit(1)),
                functions.count(functions.when(functions.col("status").equalTo("error"), 1))).first();
        long count = counts.getLong(0);
        long errors = counts.getLong(1);
        long profiles = spark.read().parquet(profilesTable).count();
        Optional<StoreWrites> writes = store.map(target -> addToStore(storeRows(spark.read().parquet(imagesTable),
                partitions()), target));
        spark.sparkContext().setJobDescription(null);
        return new Outcome(imagesTable, profilesTable, count, errors, profiles, writes);
    }

    private int partitions() {
        return settings.partitions() > 0 ? settings.partitions() : spark.sparkContext().defaultParallelism();
    }

    /**
     * What the store is given from a per-image table: the rows it can hold (decoded: analysed or without a face; not
     * the error rows, which the server does not store either), a profile's rows in one partition, sorted by name and
     * path — the order the server would be sent a folder in, so that of two names for one image the first by name
     * is the one the store keeps, as {@link ImageDedupe} keeps it.
     */
    public static Dataset<Row> storeRows(Dataset<Row> images, int partitions) {
        return images.where(functions.col("status").notEqual(ImageRows.statusCode(ImageStatus.ERROR))
                        .and(functions.col("sha256").isNotNull()))
                .repartition(partitions, functions.col(ImageRows.PROFILE))
                .sortWithinPartitions(ImageRows.PROFILE, ImageRows.NAME, ImageRows.IMAGE);
    }

    /**
     * Adds {@link #storeRows} to the store, one Spark job ({@code foreachPartition}, a connection pool per executor
     * JVM). Idempotent: an image already stored for its profile changes nothing, so a retried task or a second run
     * leaves the same state.
     */
    public StoreWrites addToStore(Dataset<Row> rows, StoreTarget target) {
        spark.sparkContext().setJobDescription("img2rec: add the images to the profile store " + target.shown());
        LongAccumulator added = spark.sparkContext().longAccumulator("img2rec: images added to the profile store");
        LongAccumulator present = spark.sparkContext().longAccumulator(
                "img2rec: images the profile store held already");
        rows.foreachPartition(new ProfileStoreWriter(target, added, present));
        return new StoreWrites(target.shown(), added.value() + present.value(), added.value());
    }

    /** Fails, naming up to five of them, when profile ids in the input are ones the store refuses. */
    static void requireStorableProfileIds(Dataset<Row> input, StoreTarget target) {
        List<Row> bad = input.select(ImageRows.PROFILE).distinct()
                .where(functions.not(functions.col(ImageRows.PROFILE)
                        .rlike("^(?:" + ProfileStore.PROFILE_ID.pattern() + ")$")))
                .limit(5).collectAsList();
        if (!bad.isEmpty()) {
            String rule;
            try {
                ProfileStore.checkProfileId(bad.get(0).getString(0));
                rule = "";
            } catch (IllegalArgumentException e) {
                rule = ": " + e.getMessage(); // the store's own words for what it allows
            }
            List<String> ids = bad.stream().map(r -> "'" + r.getString(0) + "'").toList();
            throw new IllegalArgumentException("profile store " + target.shown() + " cannot hold the profiles "
                    + String.join(", ", ids) + (bad.size() == 5 ? " (and maybe more)" : "") + rule
                    + ". Rename them in the input, or run without --store");
        }
    }
}
