package io.img2rec.spark;

import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.store.ProfileStoreException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code spark-submit} entry:
 *
 * <pre>
 * spark-submit --class io.img2rec.spark.SparkRecommendMain pipeline-spark-&lt;version&gt;-app.jar \
 *   --input s3a://bucket/photos.parquet --input-format parquet \
 *   --models /shared/runs/vgg16-run --models /shared/runs/resnet50-run --output s3a://bucket/recommendations
 * </pre>
 *
 * Writes {@code <output>/images} and {@code <output>/profiles} (Parquet, overwritten); with {@code --store}, then
 * adds the scored images to that profile store, as the server would have (opened on the driver first: its
 * migrations run, a newer schema is refused). Exit code 0 when the job ran
 * (bad images are error rows, not failures), 2 for bad or missing options, 1 when the job failed (an input that
 * cannot be read or lacks the {@code profile}/{@code image} columns, models that cannot be loaded, a profile store
 * that cannot be opened or cannot hold the profile ids), with the reason
 * on standard error. Sets {@code spark.executorEnv.OMP_NUM_THREADS} (and OpenBLAS's and MKL's) to
 * {@code --threads-per-task} unless given, so that tasks × threads stays within each executor's cores (in
 * {@code local[n]} mode the driver is the executor and its own environment applies).
 */
@Command(name = "img2rec-spark", mixinStandardHelpOptions = true,
        description = "Batch recommendations on Spark: (profile, image) rows or a folder of profile folders in, "
                + "Parquet per image and per profile out.")
public final class SparkRecommendMain implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "a CSV (header) or Parquet table with columns profile, "
            + "image[, name], or a folder whose sub-folders are profiles (any Hadoop file system)")
    String input;

    @Option(names = "--input-format", defaultValue = "folders", description = "csv, parquet or folders (default "
            + "${DEFAULT-VALUE})")
    String inputFormat;

    @Option(names = "--models", required = true, split = ",", description = "run folders or folders of checkpoints, "
            + "readable from every executor (shared storage, or shipped with --archives)")
    List<String> models;

    @Option(names = "--output", required = true, description = "folder for the images/ and profiles/ tables")
    String output;

    @Option(names = "--faces", defaultValue = "FACES", description = "FACES, FACES_OR_WHOLE_IMAGE or WHOLE_IMAGE")
    RecommenderOptions.FaceMode faces;

    @Option(names = "--batch-size", defaultValue = "" + RecommenderOptions.DEFAULT_BATCH_SIZE,
            description = "most crops scored together (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--threshold", description = "decide every label at this fixed threshold instead of the tuned "
            + "ones")
    Double threshold;

    @Option(names = "--partitions", defaultValue = "0", description = "partitions of the scoring stage (default: "
            + "Spark's default parallelism)")
    int partitions;

    @Option(names = "--max-file-bytes", defaultValue = "" + BatchRecommendJob.Settings.DEFAULT_MAX_FILE_BYTES,
            description = "remote images larger than this are error rows (default ${DEFAULT-VALUE})")
    long maxFileBytes;

    @Option(names = "--store", description = "also add the results to this profile store, as the server's --store: "
            + "jdbc:postgresql://host:port/database[?user=...] (password from $PGPASSWORD when the URL has none, on "
            + "the driver and on each executor: spark.executorEnv.PGPASSWORD), or a SQLite file (local[n] only)")
    String store;

    @Option(names = "--store-pool", defaultValue = "" + StoreTarget.DEFAULT_POOL, description = "PostgreSQL store: "
            + "connections each executor JVM holds at most (default ${DEFAULT-VALUE})")
    int storePool;

    @Option(names = "--threads-per-task", defaultValue = "0", description = "native (OpenMP) threads per task; "
            + "default spark.task.cpus")
    int threadsPerTask;

    private SparkSession spark;
    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(args, null, System.out, System.err));
    }

    /**
     * Runs the job; with {@code spark} null a session is created (and stopped at the end) from the
     * {@code spark-submit} configuration.
     */
    static int run(String[] args, SparkSession spark, PrintStream out, PrintStream err) {
        SparkRecommendMain main = new SparkRecommendMain();
        main.spark = spark;
        main.out = out;
        return SparkCommands.execute(main, "img2rec-spark", args, out, err, e -> false);
    }

    @Override
    public Integer call() {
        RecommenderSpec spec = RecommenderSpec.of(models).withFaces(faces).withBatchSize(batchSize)
                .withFixedThreshold(threshold);
        BatchRecommendJob.Settings settings = new BatchRecommendJob.Settings(spec, partitions, maxFileBytes,
                BatchRecommendJob.Settings.DEFAULT_CHUNK_IMAGES);
        ImageInputs.Format format = ImageInputs.Format.of(inputFormat);
        boolean own = spark == null;
        SparkSession session = own ? SparkSession.builder().config(executorThreads(new SparkConf(), threadsPerTask))
                .appName("img2rec batch recommendations").getOrCreate() : spark;
        try {
            // before the input is read and the models load: an unreachable database, a newer schema or a SQLite
            // file on a cluster is known at once
            Optional<StoreTarget> target = Optional.empty();
            if (store != null) {
                StoreTarget.Opened opened;
                try {
                    opened = StoreTarget.opened(store, storePool, session.sparkContext().master());
                } catch (ProfileStoreException e) {
                    throw new IllegalStateException("profile store refused: " + e.getMessage(), e);
                }
                out.println("profile store " + opened.target().shown() + " at schema version "
                        + opened.schemaVersion());
                target = Optional.of(opened.target());
            }
            Dataset<Row> rows = ImageInputs.read(session, input, format);
            BatchRecommendJob.Outcome outcome = new BatchRecommendJob(session, settings).run(rows, output, target);
            out.println("images: " + outcome.images() + " (" + outcome.imageErrors() + " error rows) → "
                    + outcome.imagesTable());
            out.println("profiles: " + outcome.profiles() + " → " + outcome.profilesTable());
            outcome.store().ifPresent(w -> out.println("profile store: " + w.rows() + " images (" + w.added()
                    + " new to their profile) → " + w.location()));
            return 0;
        } finally {
            if (own) {
                session.stop();
            }
        }
    }

    /**
     * Native threads per task: {@code OMP_NUM_THREADS} (and OpenBLAS's, MKL's) for the executors, unless the
     * submitter set them, to {@code threads} or {@code spark.task.cpus}.
     */
    static SparkConf executorThreads(SparkConf conf, int threads) {
        String n = String.valueOf(threads > 0 ? threads : conf.getInt("spark.task.cpus", 1));
        for (String variable : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            conf.setIfMissing("spark.executorEnv." + variable, n);
        }
        return conf;
    }
}
