package io.img2rec.spark;

import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.io.Sha256;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.testing.ProcessMemory;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions.FaceMode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.LabelTally;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.rules.Recommendation;
import io.img2rec.serve.testing.ServeFixtures;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Issue 12's figures, not a test: images/s of the Spark batch job ({@link BatchRecommendJob#run}: score, write
 * {@code images/}, aggregate, write {@code profiles/}) at {@code local[1]} and {@code local[2]} against the
 * single-JVM {@code Recommender.recommendProfile} on the same profiles, each in a JVM of its own (so that its
 * {@code VmHWM} is its own peak: in local mode the driver is the only executor, one JVM), with every result
 * compared. Six real-sized label models with random weights, as a training run leaves them: three VGG16@150 and three
 * ResNet50@224 (one frozen trunk per architecture, the last layers different per label; NCHW). Images: the bundled
 * {@code datasets/sample}, {@code n} distinct ones (by SHA-256) from each of its label folders, one profile per
 * folder. Each configuration first runs on a small warm-up profile (models loaded, first passes), then is timed.
 *
 * <pre>
 * mvn -B -o -q -pl pipeline-spark -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/bench.classpath
 * java -cp pipeline-spark/target/test-classes:pipeline-spark/target/classes:$(cat pipeline-spark/target/bench.classpath) \
 *     io.img2rec.spark.SparkBatchBench target/spark-bench 12 single:2 local[1]:2 local[2]:1 local[2]:2
 * </pre>
 * Arguments: a work folder (models are written once and kept), images per profile, then the configurations as
 * {@code mode:ompThreads}. Prints one line per configuration and whether all results were equal; exit 1 if not.
 */
public final class SparkBatchBench {
    private static final List<String> LABELS = List.of("beard", "eyewear", "hat");
    private static final List<String> FOLDERS = List.of("beard", "eyewear", "hat", "none");

    private SparkBatchBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Path.of(args[2]), Path.of(args[3]));
            return;
        }
        Path work = Path.of(args.length > 0 ? args[0] : "target/spark-bench").toAbsolutePath();
        int perProfile = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        List<String> configs = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : List.of("single:2", "local[1]:2", "local[2]:1", "local[2]:2");
        Path models = work.resolve("models");
        if (!Files.exists(models.resolve("done"))) {
            long t0 = System.nanoTime();
            writeModels(models);
            Files.writeString(models.resolve("done"), "");
            System.out.printf(Locale.ROOT, "wrote 6 real-sized checkpoints in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        Path profiles = work.resolve("profiles-" + perProfile);
        int images = pickImages(profiles, perProfile);
        Path warmup = work.resolve("warmup");
        pickWarmup(warmup.resolve("warmup"));
        Map<String, String> firstByThreads = new TreeMap<>();
        Map<String, String> firstConfigByThreads = new TreeMap<>();
        String reference = null;
        boolean equal = true;
        for (String config : configs) {
            String[] parts = config.split(":");
            Path result = work.resolve("result-" + config.replaceAll("[^A-Za-z0-9]", "_") + ".txt");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=8g",
                    "-Dorg.bytedeco.javacpp.maxphysicalbytes=14g", "-Djava.awt.headless=true"));
            command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" ")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkBatchBench.class.getName(),
                    "--child", parts[0], profiles.toString(), result.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("log-" + result.getFileName()).toFile());
            for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
                pb.environment().put(v, parts[1]);
            }
            pb.environment().put("IMG2REC_BENCH_WARMUP", warmup.toString());
            pb.environment().put("IMG2REC_BENCH_MODELS", models.toString());
            String loadBefore = loadAverage();
            int code = pb.start().waitFor();
            List<String> lines = Files.readAllLines(result.resolveSibling(result.getFileName() + ".summary"));
            String content = Files.readString(result);
            String same = firstByThreads.putIfAbsent(parts[1], content);
            String comparison;
            if (same != null && !same.equals(content)) {
                equal = false;
                comparison = "results DIFFER from " + firstConfigByThreads.get(parts[1]) + " (same threads)";
            } else {
                firstConfigByThreads.putIfAbsent(parts[1], config);
                comparison = same == null ? "first with " + parts[1] + " thread(s)"
                        : "results equal to " + firstConfigByThreads.get(parts[1]) + "'s to the last bit";
            }
            if (reference == null) {
                reference = content;
            } else if (!reference.equals(content)) {
                comparison += "; vs " + configs.get(0) + ": " + difference(reference, content);
            }
            System.out.println(config + " (OMP_NUM_THREADS=" + parts[1] + "): " + lines.get(0)
                    + "; load average before " + loadBefore + ", after " + loadAverage() + "; " + comparison
                    + (code == 0 ? "" : " EXIT " + code));
        }
        System.out.println(images + " images in " + FOLDERS.size() + " profiles; results of configurations with the "
                + "same native thread count " + (equal ? "equal to the last bit (per image: status, SHA-256, label "
                + "scores, positives, product; per profile: counts, tallies, recommendation)" : "NOT equal"));
        System.exit(equal ? 0 : 1);
    }

    private static final Pattern SCORE = Pattern.compile("(\\w+)=(-?[0-9.]+(E-?\\d+)?)");

    /**
     * How two result files differ: the largest difference of a label score between them, and the lines that still
     * differ once the scores are left out (statuses, positives, products, counts, tallies' images).
     */
    private static String difference(String a, String b) {
        List<String> la = a.lines().toList();
        List<String> lb = b.lines().toList();
        if (la.size() != lb.size()) {
            return la.size() + " vs " + lb.size() + " lines";
        }
        double max = 0;
        int other = 0;
        for (int i = 0; i < la.size(); i++) {
            if (la.get(i).equals(lb.get(i))) {
                continue;
            }
            var ma = SCORE.matcher(la.get(i));
            var mb = SCORE.matcher(lb.get(i));
            while (ma.find() && mb.find()) {
                if (ma.group(1).equals(mb.group(1))) {
                    try {
                        max = Math.max(max, Math.abs(Double.parseDouble(ma.group(2))
                                - Double.parseDouble(mb.group(2))));
                    } catch (NumberFormatException ignored) {
                        // not a number (a name): compared below
                    }
                }
            }
            String withoutNumbers = "[0-9]\\.[0-9]+(E-?\\d+)?";
            if (!la.get(i).replaceAll(withoutNumbers, "#").equals(lb.get(i).replaceAll(withoutNumbers, "#"))) {
                other++;
            }
        }
        return String.format(Locale.ROOT, "largest score difference %.1e, %d line(s) differing in more than "
                + "scores", max, other);
    }

    /** One configuration, timed, in this JVM; writes the results and a one-line summary. */
    private static void child(String mode, Path profiles, Path result) throws Exception {
        Path warmup = Path.of(System.getenv("IMG2REC_BENCH_WARMUP"));
        RecommenderSpec spec = RecommenderSpec.of(List.of(System.getenv("IMG2REC_BENCH_MODELS")))
                .withFaces(FaceMode.FACES_OR_WHOLE_IMAGE);
        List<String> lines = new ArrayList<>();
        int images = 0;
        double seconds;
        long start;
        String fixed = "";
        if (mode.equals("single")) {
            try (Recommender single = spec.load()) {
                single.recommendProfile(warmup.resolve("warmup"));
                start = System.nanoTime();
                List<ProfileResult> results = new ArrayList<>();
                for (String folder : FOLDERS) {
                    results.add(single.recommendProfile(profiles.resolve(folder + "-fan")));
                }
                seconds = (System.nanoTime() - start) / 1e9;
                for (ProfileResult p : results) {
                    images += p.images();
                    lines.add(profileLine(p.profile(), p.images(), p.imagesAnalysed(), p.imagesNoFace(),
                            p.imagesFailed(), p.tallies(), p.recommendation()));
                    for (ImageResult i : p.imageResults()) {
                        lines.add(imageLine(p.profile(), i) + " product=" + i.recommendation().product());
                    }
                }
            }
        } else {
            SparkSession spark = SparkSession.builder().master(mode).appName("img2rec-spark-bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1").getOrCreate();
            try {
                BatchRecommendJob job = new BatchRecommendJob(spark, BatchRecommendJob.Settings.of(spec));
                Path out = result.resolveSibling(result.getFileName() + ".out");
                job.run(ImageInputs.folders(spark, warmup.toString()), out.resolve("warmup").toString());
                start = System.nanoTime();
                BatchRecommendJob.Outcome outcome = job.run(ImageInputs.folders(spark, profiles.toString()),
                        out.resolve("timed").toString());
                seconds = (System.nanoTime() - start) / 1e9;
                // the job's fixed cost (its Spark jobs, Parquet written and read back): the 2-image warm-up
                // input once more, timed
                long again = System.nanoTime();
                job.run(ImageInputs.folders(spark, warmup.toString()), out.resolve("warmup-again").toString());
                fixed = String.format(Locale.ROOT, "; the same job on 2 images: %.1f s",
                        (System.nanoTime() - again) / 1e9);
                images = (int) outcome.images();
                for (Row r : spark.read().parquet(outcome.profilesTable()).collectAsList()) {
                    lines.add(profileLine(r.getAs("profile"), r.getAs("images"), r.getAs("images_analysed"),
                            r.getAs("images_no_face"), r.getAs("images_failed"), ProfileRows.tallies(r),
                            ProfileRows.recommendation(r)));
                }
                for (Row r : spark.read().parquet(outcome.imagesTable()).collectAsList()) {
                    lines.add(imageLine(r.getAs("profile"), ImageRows.forRules(r)) + " product="
                            + r.getAs("product"));
                }
            } finally {
                spark.stop();
            }
        }
        lines.sort(null);
        Files.write(result, lines, StandardCharsets.UTF_8);
        String summary = String.format(Locale.ROOT, "%d images in %.1f s = %.2f images/s; peak resident (VmHWM) %d MB",
                images, seconds, images / seconds, ProcessMemory.peakResidentKb() >> 10) + fixed;
        Files.writeString(result.resolveSibling(result.getFileName() + ".summary"), summary + "\n");
        ExecutorRecommenders.closeAll();
    }

    /** The 1-minute load average of the host (other work on it changes every figure). */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String profileLine(String profile, int images, int analysed, int noFace, int failed,
                                      List<LabelTally> tallies, Recommendation r) {
        return "P " + profile + " images=" + images + " analysed=" + analysed + " noFace=" + noFace + " failed="
                + failed + " tallies=" + tallies + " recommendation=" + r;
    }

    private static String imageLine(String profile, ImageResult i) {
        return "I " + profile + "/" + i.name() + " " + i.status() + " " + i.sha256() + " scores="
                + new TreeMap<>(i.labelScores()) + " positives=" + i.positives();
    }

    /** The first {@code n} images of each sample folder whose bytes no earlier pick has (one profile each). */
    private static int pickImages(Path profiles, int n) throws IOException {
        Path sample = Path.of(System.getProperty("img2rec.root", ".")).resolve("datasets/sample");
        Set<String> seen = new HashSet<>();
        int count = 0;
        for (String folder : FOLDERS) {
            Path profile = profiles.resolve(folder + "-fan");
            Files.createDirectories(profile);
            int taken = 0;
            try (var files = Files.list(sample.resolve(folder))) {
                for (Path f : files.sorted().toList()) {
                    if (taken == n) {
                        break;
                    }
                    if (seen.add(Sha256.of(f))) {
                        Path target = profile.resolve(f.getFileName());
                        if (!Files.exists(target)) {
                            Files.copy(f, target);
                        }
                        taken++;
                    }
                }
            }
            count += taken;
        }
        return count;
    }

    private static void pickWarmup(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path sample = Path.of(System.getProperty("img2rec.root", ".")).resolve("datasets/sample/none");
        try (var files = Files.list(sample)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).limit(2).toList()) {
                Path target = folder.resolve(f.getFileName());
                if (!Files.exists(target)) {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Three label models per architecture: one frozen trunk, the last layers perturbed per label, NCHW. */
    private static void writeModels(Path folder) throws Exception {
        CheckpointStore store = new CheckpointStore(folder);
        Nd4j.getRandom().setSeed(5);
        for (Backbone backbone : List.of(Backbone.VGG16, Backbone.RESNET50)) {
            int size = backbone.defaultInputSize(); // VGG16@150, ResNet50@224
            String arch = backbone == Backbone.VGG16 ? "vgg16" : "resnet50";
            ComputationGraph base = backbone.architecture().create(new ArchitectureOptions(size, CNN2DFormat.NCHW, 42),
                    1);
            FreezePlan plan = GraphTopology.of(base.getConfiguration()).lastLayersTrainable(5);
            Set<String> trainable = new HashSet<>(plan.trainable());
            for (String label : LABELS) {
                ComputationGraph model = base.clone();
                for (Layer layer : model.getLayers()) {
                    if (trainable.contains(layer.conf().getLayer().getLayerName()) && layer.numParams() > 0) {
                        layer.params().addi(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5).muli(0.01));
                    }
                }
                CheckpointSidecar s = ServeFixtures.sidecar(arch, label, 0.5,
                        backbone == Backbone.VGG16 ? "bgr_rescale" : "caffe");
                store.write(RunLayout.checkpointName(arch, label, CheckpointSlot.BEST), model, false,
                        new CheckpointSidecar(s.formatVersion(), s.architecture(), s.labels(), s.kind(), s.contents(),
                                size, s.preprocessing(), s.resize(), "nchw", s.phase(), s.epoch(), s.metrics(),
                                s.thresholds(), null, null, s.provenance(), null));
                model.close();
            }
            base.close();
        }
    }
}
