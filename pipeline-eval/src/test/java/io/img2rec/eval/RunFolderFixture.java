package io.img2rec.eval;

import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.io.Sha256;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.EpochMetricsCsv;
import io.img2rec.core.run.EpochRecord;
import io.img2rec.core.run.Prediction;
import io.img2rec.core.run.PredictionsCsv;
import io.img2rec.core.run.ProvenanceFile;
import io.img2rec.core.run.RunJson;
import io.img2rec.core.run.RunLayout;
import io.img2rec.core.run.RunSummary;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small run folders for tests through the run format's own writers ({@code io.img2rec.core.run}): predictions are generated from a seeded random
 * generator (scores loosely follow the truth), and tiny PNG images are written under a dataset root.
 */
public final class RunFolderFixture {

    private final Path dir;
    private final Path datasetRoot;
    private final List<Prediction> predictions = new ArrayList<>();
    private String weightsSource = "imagenet:dl4j-zoo";
    private boolean provenance = true;
    private boolean summary = true;
    private boolean epochs = true;
    private boolean checkpoints = true;
    private boolean images = true;
    private String configName = "tiny";
    private List<String> labels = List.of("hat", "beard", "eyewear");

    private RunFolderFixture(Path dir, Path datasetRoot) {
        this.dir = dir;
        this.datasetRoot = datasetRoot;
    }

    /** A run folder {@code <parent>/20240101-120000-<name>} with its dataset under {@code <parent>/data-<name>}. */
    public static RunFolderFixture in(Path parent, String name) {
        return new RunFolderFixture(parent.resolve("20240101-120000-" + name), parent.resolve("data-" + name))
                .configName(name);
    }

    public RunFolderFixture configName(String name) {
        this.configName = name;
        return this;
    }

    public RunFolderFixture labels(List<String> labels) {
        this.labels = List.copyOf(labels);
        return this;
    }

    public RunFolderFixture randomWeights() {
        weightsSource = "random (ImageNet weights unavailable: offline)";
        return this;
    }

    public RunFolderFixture withoutProvenance() {
        provenance = false;
        return this;
    }

    public RunFolderFixture withoutSummary() {
        summary = false;
        return this;
    }

    public RunFolderFixture withoutEpochs() {
        epochs = false;
        return this;
    }

    public RunFolderFixture withoutCheckpoints() {
        checkpoints = false;
        return this;
    }

    public RunFolderFixture withoutImages() {
        images = false;
        return this;
    }

    /** One predictions.csv row; {@code score} may be NaN. */
    public RunFolderFixture row(String path, String split, String model, String label, int truth, double score) {
        predictions.add(new Prediction(path, Split.fromCode(split), model, label, truth == 1, score));
        return this;
    }

    /**
     * {@code perSplit} images per split (validation, test) for every label and model; truth alternates, scores are
     * the truth blurred by noise so the models are good but not perfect.
     */
    public RunFolderFixture generated(List<String> models, int perSplit, long seed) {
        Random random = new Random(seed);
        for (String split : List.of("train", "validation", "test")) {
            for (int i = 0; i < perSplit; i++) {
                String path = split + "/img" + i + ".png";
                for (String label : labels) {
                    int truth = (i + label.length()) % 3 == 0 ? 1 : 0;
                    for (String model : models) {
                        double score = Math.min(1, Math.max(0, 0.3 + 0.4 * truth + 0.35 * random.nextGaussian()));
                        row(path, split, model, label, truth, Math.round(score * 1e6) / 1e6);
                    }
                }
            }
        }
        return this;
    }

    public Path dir() {
        return dir;
    }

    public Path datasetRoot() {
        return datasetRoot;
    }

    public Path write() throws IOException {
        RunLayout run = new RunLayout(dir);
        Files.createDirectories(dir);
        try {
            AtomicFiles.writeString(run.config(), ConfigWriter.toYaml(ConfigLoader.parse("name: " + configName
                    + "\nlabels: [" + String.join(", ", labels) + "]\ndata:\n  root: " + datasetRoot + "\nseed: 7\n",
                    "fixture", Map.of())));
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        PredictionsCsv.write(run.predictions(), predictions);
        List<String> models = predictions.stream().map(Prediction::model).distinct().toList();
        RunProvenance runProvenance = new RunProvenance("cfg123", "man456", 7, "abc1234", weightsSource,
                Map.of("dl4j", "1.0.0-M2.1", "java", "17"), "CpuBackend (oneDNN helpers on)", "2024-01-01T12:00:00Z");
        if (provenance) {
            ProvenanceFile.write(run.provenance(), runProvenance);
        }
        if (summary) {
            RunSummary.write(run.runSummary(), RunSummary.of(datasetRoot,
                    Map.of("train", 6L, "validation", 6L, "test", 6L),
                    Map.of("cache", 12.5, "top", 30.25, "fine_tune", 95.0, "total", 137.75),
                    Map.of("cache", 40.0, "top", 900.5), 0, List.of()));
        }
        if (epochs) {
            List<EpochRecord> rows = new ArrayList<>();
            for (String model : models) {
                for (String label : labels) {
                    for (String phase : List.of("top", "fine_tune")) {
                        for (int e = 1; e <= 3; e++) {
                            double loss = 0.7 / (e + (phase.equals("top") ? 0 : 3));
                            rows.add(EpochRecord.of(model, label, phase, e, loss, loss * 1.1, 0.6 + 0.05 * e,
                                    0.55 + 0.05 * e, 1.5, 100));
                        }
                    }
                }
            }
            EpochMetricsCsv.write(run.epochMetrics(), rows);
        }
        if (checkpoints) {
            Files.createDirectories(run.checkpoints());
            for (String model : models) {
                for (String label : labels) {
                    // A stand-in zip (evaluation only checks that it exists) with a real sidecar naming it.
                    String zip = "zip of " + model + "-" + label;
                    String sha = Sha256.of(zip);
                    String name = RunLayout.checkpointName(model, label, CheckpointSlot.BEST);
                    String zipName = RunLayout.modelFileName(name, sha);
                    Files.writeString(run.checkpoints().resolve(zipName), zip);
                    RunJson.write(run.checkpointSidecar(model, label, CheckpointSlot.BEST), new CheckpointSidecar(
                            CheckpointSidecar.FORMAT_VERSION, model, List.of(label), "best", "full", 32, "bgr_rescale",
                            "nearest", "nhwc", "fine_tune", 3, Map.of("validation_auc", 0.75), Map.of(label, 0.5),
                            zipName, sha, runProvenance, null));
                }
            }
        }
        if (images) {
            int k = 0;
            for (String path : predictions.stream().map(Prediction::path).distinct().toList()) {
                Path file = datasetRoot.resolve(path);
                Files.createDirectories(file.getParent());
                BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(Color.HSBtoRGB(k++ * 0.13f, 0.7f, 0.9f)));
                g.fillRect(0, 0, 40, 30);
                g.setColor(Color.WHITE);
                g.fillOval(10, 5, 20, 20);
                g.dispose();
                ImageIO.write(image, "png", file.toFile());
            }
        }
        return dir;
    }
}
