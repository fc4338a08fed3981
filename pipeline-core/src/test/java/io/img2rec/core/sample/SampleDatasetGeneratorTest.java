package io.img2rec.core.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDatasetGeneratorTest {

    private static final int SAMPLE_COUNT = 300;
    private static final long SEED = 42;
    private static final int PIXELS_PER_SIDE = 24;

    @TempDir
    static Path sharedRoot;

    private static List<GeneratedSample> samples;
    /** File name to labels, read back from the folders alone. */
    private static Map<String, Set<Accessory>> labelsOnDisk;

    @BeforeAll
    static void generateOnce() throws IOException {
        samples = new SampleDatasetGenerator(SAMPLE_COUNT, SEED).generate(sharedRoot);
        labelsOnDisk = readLabelsFromFolders(sharedRoot);
    }

    @Test
    void sameSeedWritesByteIdenticalFiles(@TempDir Path first, @TempDir Path second) throws IOException {
        new SampleDatasetGenerator(30, 7).generate(first);
        new SampleDatasetGenerator(30, 7).generate(second);

        Map<Path, byte[]> firstFiles = readAllFiles(first);
        Map<Path, byte[]> secondFiles = readAllFiles(second);
        assertEquals(firstFiles.keySet(), secondFiles.keySet());
        for (Path file : firstFiles.keySet()) {
            assertArrayEquals(firstFiles.get(file), secondFiles.get(file), "bytes differ for " + file);
        }
    }

    @Test
    void differentSeedsPaintDifferentImages(@TempDir Path first, @TempDir Path second) throws IOException {
        List<GeneratedSample> seven = new SampleDatasetGenerator(30, 7).generate(first);
        List<GeneratedSample> eight = new SampleDatasetGenerator(30, 8).generate(second);

        int different = 0;
        for (int i = 0; i < seven.size(); i++) {
            byte[] a = Files.readAllBytes(anyCopy(first, seven.get(i)));
            byte[] b = Files.readAllBytes(anyCopy(second, eight.get(i)));
            different += Arrays.equals(a, b) ? 0 : 1;
        }
        assertEquals(seven.size(), different, "every image should change with the seed");
        assertFalse(seven.stream().map(GeneratedSample::labels).toList()
                .equals(eight.stream().map(GeneratedSample::labels).toList()), "label order should change with the seed");
    }

    @Test
    void multiLabelPortraitIsCopiedIdenticallyIntoEachLabelFolderAndNowhereElse() throws IOException {
        int multiLabel = 0;
        for (GeneratedSample sample : samples) {
            List<String> folders = SampleDatasetGenerator.foldersOf(sample.labels());
            byte[] first = Files.readAllBytes(sharedRoot.resolve(folders.get(0)).resolve(sample.fileName()));
            for (String folder : folders) {
                assertArrayEquals(first, Files.readAllBytes(sharedRoot.resolve(folder).resolve(sample.fileName())),
                        sample.fileName() + " in " + folder);
            }
            multiLabel += sample.labels().size() > 1 ? 1 : 0;
            assertEquals(sample.labels(), labelsOnDisk.get(sample.fileName()),
                    "folders holding " + sample.fileName());
        }
        assertEquals(samples.size(), labelsOnDisk.size(), "no stray files in the label folders");
        assertTrue(multiLabel > 0, "the sample should contain multi-label portraits");
    }

    @Test
    void labelRatesFollowTheIntendedMix() {
        double n = labelsOnDisk.size();
        double hat = share(Accessory.HAT);
        double beard = share(Accessory.BEARD);
        double eyewear = share(Accessory.EYEWEAR);
        for (double rate : new double[] {hat, beard, eyewear}) {
            assertTrue(rate >= 0.30 && rate <= 0.50, "each label should be positive in 30-50% of images, got " + rate);
        }
        assertTrue(eyewear > hat && hat > beard, "eyewear > hat > beard, got " + eyewear + ", " + hat + ", " + beard);
        long none = labelsOnDisk.values().stream().filter(Set::isEmpty).count();
        long two = labelsOnDisk.values().stream().filter(labels -> labels.size() == 2).count();
        long three = labelsOnDisk.values().stream().filter(labels -> labels.size() == 3).count();
        assertTrue(none / n >= 0.07 && none / n <= 0.13, "about 10% unlabelled, got " + none / n);
        assertTrue(two / n >= 0.15 && two / n <= 0.25, "about 20% with two labels, got " + two / n);
        assertTrue(three >= 2 && three / n <= 0.08, "a few with three labels, got " + three);
    }

    @Test
    void canvasSizesVaryWithinBoundsAndIncludeNonSquare() throws IOException {
        int nonSquare = 0;
        Set<Integer> widths = new HashSet<>();
        for (GeneratedSample sample : samples) {
            BufferedImage image = ImageIO.read(anyCopy(sharedRoot, sample).toFile());
            assertEquals(sample.spec().width(), image.getWidth());
            assertEquals(sample.spec().height(), image.getHeight());
            for (int side : new int[] {image.getWidth(), image.getHeight()}) {
                assertTrue(side >= PortraitSampler.MIN_SIDE && side <= PortraitSampler.MAX_SIDE,
                        sample.fileName() + " side " + side);
            }
            nonSquare += image.getWidth() != image.getHeight() ? 1 : 0;
            widths.add(image.getWidth());
        }
        assertTrue(nonSquare > samples.size() / 4, "some canvases should be non-square, got " + nonSquare);
        assertTrue(widths.size() > 20, "widths should vary, got " + widths.size() + " distinct");
    }

    @Test
    void eachLabelIsLearnableByALinearModelAt24x24() throws IOException {
        List<String> names = new ArrayList<>(labelsOnDisk.keySet());
        double[][] features = new double[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            features[i] = lowResolutionFeatures(anyCopy(sharedRoot, names.get(i), labelsOnDisk.get(names.get(i))));
        }
        int half = names.size() / 2;
        double[][] train = Arrays.copyOfRange(features, 0, half);
        double[][] test = Arrays.copyOfRange(features, half, names.size());

        StringBuilder report = new StringBuilder();
        for (Accessory accessory : Accessory.values()) {
            boolean[] truth = new boolean[names.size()];
            for (int i = 0; i < names.size(); i++) {
                truth[i] = labelsOnDisk.get(names.get(i)).contains(accessory);
            }
            PixelLogisticRegression model = PixelLogisticRegression.train(
                    train, Arrays.copyOfRange(truth, 0, half), 300, 0.5, 0.01);
            double balancedAccuracy = balancedAccuracy(model, test, Arrays.copyOfRange(truth, half, truth.length));
            report.append(String.format("%s=%.3f ", accessory.folderName(), balancedAccuracy));
            assertTrue(balancedAccuracy > 0.7,
                    accessory + " should be learnable at 24x24, held-out balanced accuracy " + balancedAccuracy);
        }
        System.out.println("Held-out balanced accuracy at 24x24: " + report.toString().trim());
    }

    private static double balancedAccuracy(PixelLogisticRegression model, double[][] features, boolean[] truth) {
        int truePositive = 0;
        int positives = 0;
        int trueNegative = 0;
        int negatives = 0;
        for (int i = 0; i < features.length; i++) {
            boolean predicted = model.predict(features[i]);
            if (truth[i]) {
                positives++;
                truePositive += predicted ? 1 : 0;
            } else {
                negatives++;
                trueNegative += predicted ? 0 : 1;
            }
        }
        return 0.5 * ((double) truePositive / positives + (double) trueNegative / negatives);
    }

    /**
     * Per cell of a 24x24 grid: mean colour, edge strength and saturation, measured on a 48x48
     * area-averaged copy of the image whatever its shape (2880 values).
     */
    private static double[] lowResolutionFeatures(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        int fine = PIXELS_PER_SIDE * 2;
        double[][][] colour = new double[fine][fine][3];
        int[][] counts = new int[fine][fine];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int row = y * fine / image.getHeight();
                int column = x * fine / image.getWidth();
                int rgb = image.getRGB(x, y);
                colour[row][column][0] += (rgb >> 16 & 0xff) / 255.0;
                colour[row][column][1] += (rgb >> 8 & 0xff) / 255.0;
                colour[row][column][2] += (rgb & 0xff) / 255.0;
                counts[row][column]++;
            }
        }
        for (int y = 0; y < fine; y++) {
            for (int x = 0; x < fine; x++) {
                for (int channel = 0; channel < 3; channel++) {
                    colour[y][x][channel] /= counts[y][x];
                }
            }
        }
        int cells = PIXELS_PER_SIDE * PIXELS_PER_SIDE;
        double[] features = new double[cells * 5];
        for (int y = 0; y < fine; y++) {
            for (int x = 0; x < fine; x++) {
                int cell = (y / 2) * PIXELS_PER_SIDE + x / 2;
                double[] here = colour[y][x];
                double[] right = colour[y][Math.min(x + 1, fine - 1)];
                double[] below = colour[Math.min(y + 1, fine - 1)][x];
                double max = 0;
                double min = 1;
                for (int channel = 0; channel < 3; channel++) {
                    features[cell * 3 + channel] += here[channel] / 4;
                    double across = right[channel] - here[channel];
                    double down = below[channel] - here[channel];
                    features[cells * 3 + cell] += Math.sqrt(across * across + down * down);
                    max = Math.max(max, here[channel]);
                    min = Math.min(min, here[channel]);
                }
                features[cells * 4 + cell] += (max - min) / 4;
            }
        }
        return features;
    }

    private double share(Accessory accessory) {
        return labelsOnDisk.values().stream().filter(labels -> labels.contains(accessory)).count()
                / (double) labelsOnDisk.size();
    }

    private static Path anyCopy(Path root, GeneratedSample sample) {
        return anyCopy(root, sample.fileName(), sample.labels());
    }

    private static Path anyCopy(Path root, String fileName, Set<Accessory> labels) {
        return root.resolve(SampleDatasetGenerator.foldersOf(labels).get(0)).resolve(fileName);
    }

    private static Map<String, Set<Accessory>> readLabelsFromFolders(Path root) throws IOException {
        Map<String, Set<Accessory>> labels = new TreeMap<>();
        for (Accessory accessory : Accessory.values()) {
            for (Path file : list(root.resolve(accessory.folderName()))) {
                labels.computeIfAbsent(file.getFileName().toString(), name -> EnumSet.noneOf(Accessory.class))
                        .add(accessory);
            }
        }
        for (Path file : list(root.resolve(SampleDatasetGenerator.NO_LABEL_FOLDER))) {
            Set<Accessory> earlier = labels.put(file.getFileName().toString(), EnumSet.noneOf(Accessory.class));
            assertTrue(earlier == null, file + " is in none/ and in a label folder");
        }
        return labels;
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static Map<Path, byte[]> readAllFiles(Path root) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file), Files.readAllBytes(file));
            }
        }
        assertFalse(files.isEmpty(), "nothing was written under " + root);
        return files;
    }
}
