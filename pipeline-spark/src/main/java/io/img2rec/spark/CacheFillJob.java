package io.img2rec.spark;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestEntry;
import io.img2rec.train.CacheFill;
import io.img2rec.train.cache.CachePlan;
import io.img2rec.train.cache.CacheShards;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Fills a training run's frozen-trunk cache on Spark: the run's item plan ({@link CachePlan}) is cut at its batch
 * boundaries into ranges of whole batches, one task per range; each task fetches its images ({@link ImageFetcher}:
 * local paths in place, other Hadoop file systems copied), decodes and augments them with the run's seeds and runs
 * the trunk batch by batch ({@link CacheFill}, the trunk built once per executor JVM by {@link ExecutorTrunks}),
 * then writes its shard ({@link CacheShards}) into the output folder under its batch range's name, atomically: a
 * retried task or a re-run replaces the shard, never duplicates it. A run reads the folder with
 * {@code cache.shards: <folder>}. An image that cannot be fetched or decoded is a failure in its shard, never a
 * failed task.
 */
public final class CacheFillJob {
    private static final Logger LOG = LoggerFactory.getLogger(CacheFillJob.class);

    /**
     * @param batchesPerTask batches of {@code train.batch_size} items per task (and shard); 0: enough tasks for
     *                       twice Spark's default parallelism
     * @param maxFileBytes   images on a remote file system larger than this are failures (not copied)
     */
    public record Settings(int batchesPerTask, long maxFileBytes) {
        public Settings {
            if (batchesPerTask < 0 || maxFileBytes < 1) {
                throw new IllegalArgumentException("batchesPerTask must be >= 0 and maxFileBytes >= 1, got "
                        + batchesPerTask + " and " + maxFileBytes);
            }
        }

        public static Settings defaults() {
            return new Settings(0, BatchRecommendJob.Settings.DEFAULT_MAX_FILE_BYTES);
        }
    }

    /** One written shard, as its task reports it. */
    record ShardWritten(String file, int fromBatch, int toBatch, int rows, int failures, String fingerprint,
                        double seconds, long peakResidentKb) implements Serializable {
    }

    /** What a fill wrote. */
    public record Outcome(String output, int shards, int items, int rows, int failures, double seconds,
                          long peakResidentKb) {
    }

    private final SparkSession spark;
    private final Settings settings;

    public CacheFillJob(SparkSession spark, Settings settings) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param manifest    the run's manifest (as its run folder or the manifest CLI writes it)
     * @param datasetRoot the folder the manifest's paths are relative to: a local path or any Hadoop URI
     * @param output      the shard folder (local or any Hadoop URI); earlier shards in it are replaced
     */
    public Outcome run(PipelineConfig config, Manifest manifest, String datasetRoot, String output) throws IOException {
        long start = System.nanoTime();
        CachePlan plan = CachePlan.of(config, manifest.entries());
        int perTask = settings.batchesPerTask() > 0 ? settings.batchesPerTask()
                : Math.max(1, (plan.batchCount() + 2 * spark.sparkContext().defaultParallelism() - 1)
                / (2 * spark.sparkContext().defaultParallelism()));
        List<int[]> ranges = plan.ranges(perTask);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        clearShards(output, hadoop);
        List<String> images = new ArrayList<>();
        for (ManifestEntry entry : manifest.entries()) {
            images.add(location(datasetRoot, entry.path()));
        }
        String arch = config.model().architecture().configName();
        var task = new FillRange(TrunkSpec.of(config), plan, images,
                manifest.entries().stream().map(ManifestEntry::path).toList(), output, new HadoopConf(hadoop),
                settings.maxFileBytes());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription(String.format(Locale.ROOT, "img2rec: fill the %s frozen-layer cache: %d images, %d items "
                + "in %d batches, %d shards → %s", arch, plan.images(), plan.items().size(), plan.batchCount(),
                ranges.size(), output));
        List<ShardWritten> written;
        try {
            written = jsc.parallelize(ranges, ranges.size()).map(task).collect();
        } finally {
            jsc.setJobDescription(null);
        }
        String fingerprint = written.get(0).fingerprint();
        for (ShardWritten w : written) {
            if (!w.fingerprint().equals(fingerprint)) {
                throw new IllegalStateException("the executors built different trunks: " + w.file() + " has "
                        + w.fingerprint() + ", " + written.get(0).file() + " has " + fingerprint + " (the weights "
                        + "must be the same file on every executor)");
            }
        }
        int rows = written.stream().mapToInt(ShardWritten::rows).sum();
        int failures = written.stream().mapToInt(ShardWritten::failures).sum();
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(String.format(Locale.ROOT, "filled the %s cache: %d shards, %d rows, %d failures in %.1f s → %s", arch,
                written.size(), rows, failures, seconds, output));
        return new Outcome(output, written.size(), plan.items().size(), rows, failures, seconds,
                written.stream().mapToLong(ShardWritten::peakResidentKb).max().orElse(-1));
    }

    /** An image's location: the dataset root (local path or URI) and the manifest's relative path. */
    static String location(String datasetRoot, String relativePath) {
        if (!ImageFetcher.isRemote(datasetRoot)) {
            return ImageFetcher.localPath(datasetRoot).toAbsolutePath().normalize().resolve(relativePath).toString();
        }
        return datasetRoot.endsWith("/") ? datasetRoot + relativePath : datasetRoot + "/" + relativePath;
    }

    /** Removes the shards of an earlier fill (a re-run replaces the folder's shards; other files stay). */
    private static void clearShards(String output, Configuration conf) throws IOException {
        if (!ImageFetcher.isRemote(output)) {
            Path folder = ImageFetcher.localPath(output);
            Files.createDirectories(folder);
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(p -> CacheShards.isShard(p.getFileName().toString())).toList()) {
                    Files.delete(f);
                }
            }
            return;
        }
        var folder = new org.apache.hadoop.fs.Path(URI.create(output));
        FileSystem fs = folder.getFileSystem(conf);
        fs.mkdirs(folder);
        for (FileStatus status : fs.listStatus(folder)) {
            if (CacheShards.isShard(status.getPath().getName())) {
                fs.delete(status.getPath(), false);
            }
        }
    }

    /** The task: one range of whole batches → one shard file. */
    static final class FillRange implements Function<int[], ShardWritten> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final TrunkSpec spec;
        private final CachePlan plan;
        private final List<String> images;
        private final List<String> names;
        private final String output;
        private final HadoopConf conf;
        private final long maxFileBytes;

        FillRange(TrunkSpec spec, CachePlan plan, List<String> images, List<String> names, String output,
                  HadoopConf conf, long maxFileBytes) {
            this.spec = spec;
            this.plan = plan;
            this.images = List.copyOf(images);
            this.names = List.copyOf(names);
            this.output = output;
            this.conf = conf;
            this.maxFileBytes = maxFileBytes;
        }

        @Override
        public ShardWritten call(int[] range) throws Exception {
            long start = System.nanoTime();
            try (ExecutorTrunks.Lease lease = ExecutorTrunks.borrow(spec);
                 ImageFetcher fetcher = new ImageFetcher(conf.get(), maxFileBytes)) {
                CacheFill fill = lease.fill();
                try (CacheFill.Shard shard = fill.fill(plan, range[0], range[1], image -> {
                    ImageFetcher.Fetched fetched = fetcher.fetch(images.get(image), names.get(image));
                    if (!fetched.ok()) {
                        throw new IOException(fetched.error());
                    }
                    return fetched.file();
                })) {
                    for (CacheShards.Failure f : shard.header().failures()) {
                        LOG.warn("cache fill: {} (image {}{}) left out: {}", images.get(f.image()), f.image(),
                                f.copy() < 0 ? "" : ", copy " + f.copy(), f.reason());
                    }
                    String file = write(shard);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    LOG.info(String.format(Locale.ROOT, "cache fill: batches [%d, %d) → %s: %d rows, %d failures, "
                                    + "%.1f s", range[0], range[1], file, shard.header().items().size(),
                            shard.header().failures().size(), seconds));
                    return new ShardWritten(file, range[0], range[1], shard.header().items().size(),
                            shard.header().failures().size(), shard.header().fingerprint().toString(), seconds,
                            peakResidentKb());
                }
            }
        }

        private String write(CacheFill.Shard shard) throws IOException {
            if (!ImageFetcher.isRemote(output)) {
                return shard.writeInto(ImageFetcher.localPath(output)).toString();
            }
            var folder = new org.apache.hadoop.fs.Path(URI.create(output));
            var target = new org.apache.hadoop.fs.Path(folder, shard.fileName());
            TaskContext task = TaskContext.get();
            var temp = new org.apache.hadoop.fs.Path(folder, "_temporary/" + shard.fileName() + "."
                    + (task == null ? System.nanoTime() : task.taskAttemptId()));
            FileSystem fs = folder.getFileSystem(conf.get());
            try (FSDataOutputStream out = fs.create(temp, true)) {
                shard.writeTo(out);
                out.hsync();
            }
            try {
                FileContext.getFileContext(folder.toUri(), conf.get()).rename(temp, target, Options.Rename.OVERWRITE);
            } catch (IOException e) {
                fs.delete(temp, false);
                throw e;
            }
            return target.toString();
        }
    }

    /** The JVM's peak resident set ({@code VmHWM} of /proc/self/status), in KiB; -1 where there is none. */
    static long peakResidentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
