package io.img2rec.spark;

import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.testing.TestImages;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Tiny models (as pipeline-serve's tests write them), profiles of images, and a local[2] session. */
final class SparkFixtures {
    static final List<String> LABELS = List.of("beard", "eyewear", "hat");

    private SparkFixtures() {
    }

    /** A local[2] session for one test class (no UI, few shuffle partitions; a failed task is retried once). */
    static SparkSession session() {
        return SparkSession.builder().master("local[2,2]").appName("img2rec-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                // tiny tables: compiling whole-stage code and re-planning shuffles cost more than they save
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /**
     * A folder of checkpoints: a tiny CNN per label for two architectures (vgg16, resnet50), random weights, fixed
     * seeds, threshold 0.5 in each sidecar.
     */
    static Path tinyModels(Path folder) throws Exception {
        long seed = 21;
        for (String label : LABELS) {
            for (String architecture : List.of("vgg16", "resnet50")) {
                var provenance = new RunProvenance("c0", "m0", 7, "abc", "random (test)", Map.of("java", "17"),
                        "CpuBackend", "2026-11-24T00:00:00Z");
                var sidecar = new CheckpointSidecar(CheckpointSidecar.FORMAT_VERSION, architecture, List.of(label),
                        "best", "full", 32, architecture.equals("resnet50") ? "caffe" : "bgr_rescale", "nearest",
                        "nhwc", "fine_tune", 2, Map.of("validation_auc", 0.9), Map.of(label, 0.5), null, null,
                        provenance, null);
                ComputationGraph graph = new TinyCnnArchitecture()
                        .create(new ArchitectureOptions(32, CNN2DFormat.NHWC, seed++), 1);
                new CheckpointStore(folder).write(RunLayout.checkpointName(architecture, label, CheckpointSlot.BEST),
                        graph, false, sidecar);
            }
        }
        return folder;
    }

    /** Copies the first {@code count} images of a sample label folder into a profile folder. */
    static void sampleProfile(Path profile, String sampleLabel, int count) throws IOException {
        Path sample = Path.of(System.getProperty("img2rec.root", "..")).resolve("datasets/sample").resolve(sampleLabel);
        Files.createDirectories(profile);
        try (var files = Files.list(sample)) {
            for (Path f : files.sorted().limit(count).toList()) {
                Files.copy(f, profile.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A profile of the two public-domain portraits of pipeline-serve's labelled face set (Eileen Collins, Grace
     * Hopper; sources and licences in that folder's SOURCES.md): real faces, which the face check confirms (the
     * generated sample portraits are painted and are not confirmed as faces).
     */
    static void peopleProfile(Path profile) throws IOException {
        Path photos = Path.of(System.getProperty("img2rec.root", ".."))
                .resolve("pipeline-serve/src/test/resources/io/img2rec/serve/face/photos");
        Files.createDirectories(profile);
        for (String name : List.of("astronaut.jpg", "grace_hopper.jpg")) {
            Files.copy(photos.resolve(name), profile.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A profile of {@code count} noise PNGs (distinct bytes). */
    static void noiseProfile(Path profile, int count, long seed) throws IOException {
        Files.createDirectories(profile);
        for (int i = 0; i < count; i++) {
            TestImages.write(profile.resolve("noise-" + i + ".png"),
                    TestImages.encode(TestImages.noise(120 + 10 * i, 100, seed + i), "png"));
        }
    }
}
