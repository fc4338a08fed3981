package io.img2rec.eval;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes small run folders in the trainer's format for tests: predictions are generated from a seeded random
 * generator (scores loosely follow the truth), and tiny PNG images are written under a dataset root.
 */
public final class RunFolderFixture {

    private final Path dir;
    private final Path datasetRoot;
    private final List<String> predictionRows = new ArrayList<>();
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
        predictionRows.add(path + "," + split + "," + model + "," + label + "," + truth + ","
                + (Double.isNaN(score) ? "NaN" : Double.toString(score)));
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
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), "name: " + configName + "\nlabels: [" + String.join(", ", labels)
                + "]\ndata:\n  root: " + datasetRoot + "\nseed: 7\n");
        Files.writeString(dir.resolve("predictions.csv"),
                "path,split,model,label,truth,score\n" + String.join("\n", predictionRows) + "\n");
        List<String> models = predictionRows.stream().map(r -> r.split(",")[2]).distinct().toList();
        if (provenance) {
            Files.writeString(dir.resolve("provenance.json"), """
                    {"configHash":"cfg123","manifestHash":"man456","seed":7,"gitCommit":"abc1234",
                     "weightsSource":"%s","versions":{"dl4j":"1.0.0-M2.1","java":"17"},
                     "backend":"CpuBackend (oneDNN helpers on)","createdAt":"2024-01-01T12:00:00Z"}
                    """.formatted(weightsSource));
        }
        if (summary) {
            Files.writeString(dir.resolve("run-summary.json"), """
                    {"datasetRoot": "%s", "counts": {"train": 6, "validation": 6, "test": 6},
                     "durationsSeconds": {"cache": 12.5, "top": 30.25, "fine_tune": 95.0, "total": 137.75},
                     "imagesPerSecond": {"cache": 40.0, "top": 900.5}}
                    """.formatted(datasetRoot.toString().replace("\\", "\\\\")));
        }
        if (epochs) {
            StringBuilder csv = new StringBuilder("model,label,phase,epoch,train_loss,validation_loss,validation_auc,"
                    + "validation_accuracy,seconds,images_per_second\n");
            for (String model : models) {
                for (String label : labels) {
                    for (String phase : List.of("top", "fine_tune")) {
                        for (int e = 1; e <= 3; e++) {
                            double loss = 0.7 / (e + (phase.equals("top") ? 0 : 3));
                            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.4f,%.4f,%.4f,%.4f,1.5,100%n",
                                    model, label, phase, e, loss, loss * 1.1, 0.6 + 0.05 * e, 0.55 + 0.05 * e));
                        }
                    }
                }
            }
            Files.writeString(dir.resolve("metrics-epochs.csv"), csv);
        }
        if (checkpoints) {
            Files.createDirectories(dir.resolve("checkpoints"));
            for (String model : models) {
                for (String label : labels) {
                    String zip = model + "-" + label + "-best-0123456789ab.zip";
                    Files.writeString(dir.resolve("checkpoints/" + zip), "zip");
                    Files.writeString(dir.resolve("checkpoints/" + model + "-" + label + "-best.json"),
                            "{\"modelFile\": \"" + zip + "\"}");
                }
            }
        }
        if (images) {
            int k = 0;
            for (String path : predictionRows.stream().map(r -> r.split(",")[0]).distinct().toList()) {
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
