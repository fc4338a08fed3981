package io.img2rec.spark;

import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.dataset.DatasetScan;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.weights.WeightsLocations;
import io.img2rec.train.CacheFill;
import io.img2rec.train.cache.CachePlan;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cache-fill figures of docs/SPARK.md (a benchmark, not a test): the same images filled by one JVM
 * ({@link CacheFill} over every batch, as a training run fills its cache) and by {@link CacheFillJob} on
 * {@code local[1]} and {@code local[2]}; the trunk is built and the fill run once before timing (JIT, file cache).
 * {@code mvn -Pslow -pl pipeline-spark -am test -Dtest=CacheFillBenchRun -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dbench.config=configs/vgg16.yaml] [-Dbench.images=360]}; the figures go to standard output and
 * {@code target/cache-fill-bench.txt}.
 */
@Tag("slow")
class CacheFillBenchRun {
    @TempDir
    Path dir;

    @Test
    void measureTheCacheFill() throws Exception {
        Path root = Path.of(System.getProperty("img2rec.root", "..")).toAbsolutePath().normalize();
        String configName = System.getProperty("bench.config", "examples/tiny-cnn.yaml");
        int limit = Integer.parseInt(System.getProperty("bench.images", "360"));
        Path data = root.resolve("datasets/sample");
        PipelineConfig config = ConfigLoader.load(root.resolve(configName), new HashMap<>(Map.of(
                "model.weights", "random", "data.root", data.toString())));
        Manifest full = DatasetScan.run(config, data, Files.createDirectories(dir.resolve("scan")), false).scan()
                .manifest();
        Manifest manifest = new Manifest(full.entries().subList(0, Math.min(limit, full.size())), full.labels());
        CachePlan plan = CachePlan.of(config, manifest.entries());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s, %s: %s@%d %s, %d images, %d items (copies %d), batch %d, %d batches; "
                        + "%d cores; load average at start %s", LocalDate.now(), cpu(), config.model().architecture()
                        .configName(), config.model().inputSize(), config.model().dataFormat().configName(),
                plan.images(), plan.items().size(), plan.copies(), plan.batchSize(), plan.batchCount(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim()));

        try (CacheFill fill = CacheFill.open(config, WeightsLocations.fromSystemProperties())) {
            fill.fill(plan, 0, plan.batchCount(), i -> data.resolve(manifest.entries().get(i).path()))
                    .close(); // warm-up: the whole fill once (JIT, file cache), not timed
            long start = System.nanoTime();
            try (CacheFill.Shard shard = fill.fill(plan, 0, plan.batchCount(),
                    i -> data.resolve(manifest.entries().get(i).path()))) {
                double s = (System.nanoTime() - start) / 1e9;
                shard.writeInto(dir.resolve("local"));
                lines.add(line("one JVM (CacheFill, the run's own fill)", plan, s, 1));
            }
        }
        for (String master : List.of("local[1]", "local[2]")) {
            SparkSession spark = SparkSession.builder().master(master).appName("img2rec-cache-bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1").getOrCreate();
            try {
                var job = new CacheFillJob(spark, CacheFillJob.Settings.defaults());
                job.run(config, new Manifest(manifest.entries().subList(0, 1), manifest.labels()), data.toString(),
                        dir.resolve("warm-" + master).toString()); // builds this JVM's trunk(s), starts executors
                CacheFillJob.Outcome outcome = job.run(config, manifest, data.toString(),
                        dir.resolve("shards-" + master).toString());
                lines.add(line("Spark " + master + " (" + outcome.shards() + " tasks)", plan, outcome.seconds(),
                        outcome.shards()));
            } finally {
                spark.stop();
            }
        }
        lines.add(String.format(Locale.ROOT, "peak resident set of the one JVM (driver = executor in local mode, all "
                + "three fills): %.0f MiB (VmHWM)", CacheFillJob.peakResidentKb() / 1024.0));
        String text = String.join("\n", lines) + "\n";
        System.out.print(text);
        Files.writeString(Path.of("target", "cache-fill-bench.txt"), text,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ExecutorTrunks.closeAll();
    }

    private static String line(String what, CachePlan plan, double seconds, int tasks) {
        return String.format(Locale.ROOT, "  %-42s %7.1f s  %6.1f items/s", what, seconds, plan.items().size() / seconds);
    }

    private static String cpu() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (l.startsWith("model name")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }
}
