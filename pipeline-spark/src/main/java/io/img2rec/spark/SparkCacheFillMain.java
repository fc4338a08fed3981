package io.img2rec.spark;

import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.dataset.DatasetScan;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestCsv;
import io.img2rec.core.manifest.ManifestException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code spark-submit} entry of the cache fill:
 *
 * <pre>
 * spark-submit --class io.img2rec.spark.SparkCacheFillMain pipeline-spark-&lt;version&gt;-app.jar \
 *   --config /shared/configs/vgg16.yaml --manifest /shared/runs/x/manifest.csv \
 *   --dataset hdfs:///datasets/faces --output hdfs:///img2rec/cache/vgg16
 * </pre>
 *
 * Writes one shard per task into {@code --output} (earlier shards there are replaced); a training run with
 * {@code cache.shards: <that folder>} (copied to its machine, or on shared storage it mounts) reads them instead of
 * running the trunk. Exit code 0 when the shards were written (unreadable images are failures in them), 2 for bad
 * or missing options, 1 when the job could not run (a config, manifest or dataset that cannot be read, a trunk that
 * cannot be built), with the reason on standard error. Sets the executors' native thread count as
 * {@link SparkRecommendMain} does.
 */
@Command(name = "img2rec-spark-cache", mixinStandardHelpOptions = true,
        description = "Fills a training run's frozen-layer cache on Spark: shards a run reads with cache.shards.")
public final class SparkCacheFillMain implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "the training config (YAML) the run will use; "
            + "read on the driver (a local path)")
    Path config;

    @Option(names = "--dataset", required = true, description = "the dataset folder the manifest's paths are relative "
            + "to: a local path or any Hadoop URI (hdfs://, s3a://), readable from every executor")
    String dataset;

    @Option(names = "--manifest", description = "the run's manifest.csv (local path or Hadoop URI), as the manifest CLI "
            + "or a run folder has it; default: scan --dataset on the driver as a training run does (local only)")
    String manifest;

    @Option(names = "--output", required = true, description = "folder for the shards (local or Hadoop URI)")
    String output;

    @Option(names = "--batches-per-task", defaultValue = "0", description = "batches of train.batch_size per task "
            + "and shard (default: twice Spark's default parallelism tasks)")
    int batchesPerTask;

    @Option(names = "--max-file-bytes", defaultValue = "" + BatchRecommendJob.Settings.DEFAULT_MAX_FILE_BYTES,
            description = "remote images larger than this are failures (default ${DEFAULT-VALUE})")
    long maxFileBytes;

    @Option(names = "--threads-per-task", defaultValue = "0", description = "native (OpenMP) threads per task; "
            + "default spark.task.cpus")
    int threadsPerTask;

    private SparkSession spark;
    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(args, null, System.out, System.err));
    }

    /** Runs the fill; with {@code spark} null a session is created (and stopped) from the submit configuration. */
    static int run(String[] args, SparkSession spark, PrintStream out, PrintStream err) {
        SparkCacheFillMain main = new SparkCacheFillMain();
        main.spark = spark;
        main.out = out;
        return SparkCommands.execute(main, "img2rec-spark-cache", args, out, err,
                e -> e instanceof ConfigException || e instanceof ManifestException);
    }

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = ConfigLoader.load(config, Map.of());
        boolean own = spark == null;
        SparkSession session = own ? SparkSession.builder()
                .config(SparkRecommendMain.executorThreads(new SparkConf(), threadsPerTask))
                .appName("img2rec cache fill").getOrCreate() : spark;
        try {
            Manifest runManifest = readManifest(session, pipeline);
            CacheFillJob.Outcome outcome = new CacheFillJob(session,
                    new CacheFillJob.Settings(batchesPerTask, maxFileBytes)).run(pipeline, runManifest, dataset, output);
            out.printf(java.util.Locale.ROOT, "cache: %d shards, %d items, %d rows, %d failures (%.1f s) → %s%n",
                    outcome.shards(), outcome.items(), outcome.rows(), outcome.failures(), outcome.seconds(),
                    outcome.output());
            return 0;
        } finally {
            if (own) {
                session.stop();
            }
        }
    }

    private Manifest readManifest(SparkSession session, PipelineConfig pipeline) throws IOException, ManifestException {
        if (manifest == null) {
            if (ImageFetcher.isRemote(dataset)) {
                throw new ManifestException("--dataset " + dataset + " is not a local folder: give its --manifest "
                        + "(the manifest CLI or a run folder writes one), the driver scans local folders only");
            }
            Path root = ImageFetcher.localPath(dataset);
            if (!Files.isDirectory(root)) {
                throw new ManifestException("the dataset folder " + root + " (--dataset) does not exist or is not a "
                        + "folder");
            }
            Path scan = Files.createTempDirectory("img2rec-scan-");
            try {
                return DatasetScan.run(pipeline, root, scan, false).scan().manifest();
            } finally {
                deleteTree(scan);
            }
        }
        if (!ImageFetcher.isRemote(manifest)) {
            return ManifestCsv.read(ImageFetcher.localPath(manifest), pipeline.labels());
        }
        try (ImageFetcher fetcher = new ImageFetcher(session.sparkContext().hadoopConfiguration(), 1L << 30)) {
            ImageFetcher.Fetched copy = fetcher.fetch(manifest, "--manifest");
            if (!copy.ok()) {
                throw new ManifestException(copy.error());
            }
            return ManifestCsv.read(copy.file(), pipeline.labels());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
