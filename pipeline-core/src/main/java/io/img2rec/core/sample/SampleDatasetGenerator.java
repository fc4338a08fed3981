package io.img2rec.core.sample;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes the generated sample dataset in the layout used for real photos: one folder per label
 * ({@code hat/}, {@code beard/}, {@code eyewear/}), {@code none/} for portraits without a label,
 * and a portrait with several labels copied byte for byte, under the same name, into each of its
 * label folders. The same seed gives the same bytes.
 *
 * <p>It needs nothing beyond the JDK, so it runs straight from the compiled classes (see
 * {@code datasets/README.md}):
 *
 * <pre>
 * mvn -q -pl pipeline-core compile
 * java -cp pipeline-core/target/classes io.img2rec.core.sample.SampleDatasetGenerator datasets/sample 360 42
 * </pre>
 */
public final class SampleDatasetGenerator {

    public static final String NO_LABEL_FOLDER = "none";
    public static final Path DEFAULT_OUTPUT = Path.of("datasets", "sample");
    public static final int DEFAULT_COUNT = 360;
    public static final long DEFAULT_SEED = 42;

    private final int count;
    private final long seed;
    private final PortraitPainter painter = new PortraitPainter();

    public SampleDatasetGenerator(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        this.count = count;
        this.seed = seed;
    }

    /**
     * Paints {@code count} portraits into {@code root}, first removing any {@code img_*.png} an
     * earlier run left in the four folders, and returns what was written in file-name order.
     */
    public List<GeneratedSample> generate(Path root) throws IOException {
        for (String folder : allFolders()) {
            Files.createDirectories(root.resolve(folder));
            removeEarlierImages(root.resolve(folder));
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Set<Accessory>> labelSets = LabelMix.shuffled(count, random.split());
        List<GeneratedSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PortraitSpec spec = PortraitSampler.sample(labelSets.get(i), random.split());
            GeneratedSample sample = new GeneratedSample(fileName(i + 1), spec.labels(), spec);
            byte[] png = encodePng(painter.paint(spec));
            for (String folder : foldersOf(sample.labels())) {
                Files.write(root.resolve(folder).resolve(sample.fileName()), png);
            }
            samples.add(sample);
        }
        return samples;
    }

    /** The folders a portrait with these labels is written to. */
    public static List<String> foldersOf(Set<Accessory> labels) {
        if (labels.isEmpty()) {
            return List.of(NO_LABEL_FOLDER);
        }
        List<String> folders = new ArrayList<>();
        for (Accessory accessory : Accessory.values()) {
            if (labels.contains(accessory)) {
                folders.add(accessory.folderName());
            }
        }
        return folders;
    }

    private static List<String> allFolders() {
        List<String> folders = new ArrayList<>();
        for (Accessory accessory : Accessory.values()) {
            folders.add(accessory.folderName());
        }
        folders.add(NO_LABEL_FOLDER);
        return folders;
    }

    private String fileName(int number) {
        int digits = Math.max(4, String.valueOf(count).length());
        return String.format("img_%0" + digits + "d.png", number);
    }

    private static void removeEarlierImages(Path folder) throws IOException {
        try (DirectoryStream<Path> earlier = Files.newDirectoryStream(folder, "img_*.png")) {
            for (Path file : earlier) {
                Files.delete(file);
            }
        }
    }

    private static byte[] encodePng(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK's ImageIO");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@code [outputFolder [count [seed]]]}; defaults {@code datasets/sample 360 42}. A relative
     * folder is taken from the checkout root ({@code img2rec.root}, set by Maven) when known.
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 3) {
            throw new IllegalArgumentException("usage: SampleDatasetGenerator [outputFolder [count [seed]]], got "
                    + args.length + " arguments");
        }
        Path output = args.length > 0 ? Path.of(args[0]) : DEFAULT_OUTPUT;
        int count = args.length > 1 ? parseCount(args[1]) : DEFAULT_COUNT;
        long seed = args.length > 2 ? parseSeed(args[2]) : DEFAULT_SEED;
        String checkoutRoot = System.getProperty("img2rec.root");
        if (!output.isAbsolute() && checkoutRoot != null && !checkoutRoot.isBlank()) {
            output = Path.of(checkoutRoot).resolve(output);
        }
        List<GeneratedSample> samples = new SampleDatasetGenerator(count, seed).generate(output);
        System.out.printf("Wrote %d portraits (seed %d) to %s%n", samples.size(), seed, output.toAbsolutePath());
    }

    private static int parseCount(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("count must be a whole number, was '" + text + "'", e);
        }
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be a whole number, was '" + text + "'", e);
        }
    }
}
