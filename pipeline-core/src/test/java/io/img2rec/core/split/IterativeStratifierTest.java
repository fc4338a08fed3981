package io.img2rec.core.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.manifest.Split;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IterativeStratifierTest {

    private static final Split[] SUBSETS = {Split.TRAIN, Split.VALIDATION, Split.TEST};

    /** ~400 examples, three labels; beard is far likelier with hat (correlated), some examples have no label. */
    static boolean[][] correlatedLabels(int n, long seed) {
        Random random = new Random(seed);
        boolean[][] rows = new boolean[n][3];
        for (int i = 0; i < n; i++) {
            boolean hat = random.nextDouble() < 0.35;
            boolean beard = random.nextDouble() < (hat ? 0.55 : 0.12);
            boolean eyewear = random.nextDouble() < (beard ? 0.4 : 0.15);
            rows[i] = new boolean[] {hat, beard, eyewear};
        }
        return rows;
    }

    private static int count(Split[] splits, Split split) {
        return (int) Arrays.stream(splits).filter(s -> s == split).count();
    }

    @Test
    void sameSeedGivesSameSplitAndDifferentSeedDiffers() {
        boolean[][] data = correlatedLabels(400, 1);
        Split[] first = new IterativeStratifier(SplitRatios.DEFAULT, 42).assign(data);
        Split[] again = new IterativeStratifier(SplitRatios.DEFAULT, 42).assign(data);
        Split[] other = new IterativeStratifier(SplitRatios.DEFAULT, 43).assign(data);

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void everyLabelKeepsItsPositiveRateInEverySplit() {
        for (long seed = 0; seed < 5; seed++) {
            boolean[][] data = correlatedLabels(400, 100 + seed);
            Split[] splits = new IterativeStratifier(SplitRatios.DEFAULT, seed).assign(data);
            for (int label = 0; label < 3; label++) {
                int l = label;
                double overall = Arrays.stream(data).filter(r -> r[l]).count() / (double) data.length;
                for (Split split : SUBSETS) {
                    int size = 0;
                    int positives = 0;
                    for (int i = 0; i < data.length; i++) {
                        if (splits[i] == split) {
                            size++;
                            positives += data[i][l] ? 1 : 0;
                        }
                    }
                    double rate = positives / (double) size;
                    assertTrue(Math.abs(rate - overall) <= 0.05,
                            "seed " + seed + " label " + l + " " + split + ": rate " + rate + " vs overall " + overall);
                }
            }
        }
    }

    @Test
    void splitSizesFollowTheRatios() {
        for (long seed = 0; seed < 5; seed++) {
            boolean[][] data = correlatedLabels(400, 200 + seed);
            Split[] splits = new IterativeStratifier(SplitRatios.DEFAULT, seed).assign(data);
            assertEquals(280, count(splits, Split.TRAIN), 2, "seed " + seed);
            assertEquals(60, count(splits, Split.VALIDATION), 2, "seed " + seed);
            assertEquals(60, count(splits, Split.TEST), 2, "seed " + seed);
        }
    }

    @Test
    void unlabelledExamplesAreSpreadByRatio() {
        boolean[][] data = new boolean[100][3];
        Split[] splits = new IterativeStratifier(new SplitRatios(0.6, 0.2, 0.2), 5).assign(data);
        assertEquals(60, count(splits, Split.TRAIN));
        assertEquals(20, count(splits, Split.VALIDATION));
        assertEquals(20, count(splits, Split.TEST));
        boolean[][] noLabels = new boolean[10][0];
        assertEquals(10, Arrays.stream(new IterativeStratifier(SplitRatios.DEFAULT, 5).assign(noLabels))
                .filter(s -> s != Split.UNASSIGNED).count());
    }

    @Test
    void labelWithTwoPositivesIsAssigned() {
        boolean[][] data = correlatedLabels(200, 9);
        for (boolean[] row : data) {
            row[2] = false;
        }
        data[3][2] = true;
        data[150][2] = true;
        Split[] splits = new IterativeStratifier(SplitRatios.DEFAULT, 1).assign(data);
        assertTrue(Arrays.stream(splits).noneMatch(s -> s == null || s == Split.UNASSIGNED));
        assertEquals(200, splits.length);
    }

    @Test
    void zeroRatioSubsetGetsNothing() {
        boolean[][] data = correlatedLabels(100, 3);
        Split[] splits = new IterativeStratifier(new SplitRatios(0.8, 0.2, 0.0), 1).assign(data);
        assertEquals(0, count(splits, Split.TEST));
        assertEquals(80, count(splits, Split.TRAIN), 2);
    }

    @Test
    void emptyInputIsAClearError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new IterativeStratifier(SplitRatios.DEFAULT, 1).assign(new boolean[0][3]));
        assertTrue(error.getMessage().contains("empty"), error.getMessage());
    }

    @Test
    void ratiosAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SplitRatios(0.7, 0.2, 0.2));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new SplitRatios(1.1, -0.1, 0.0));
        assertTrue(negative.getMessage().contains("validation"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SplitRatios(Double.NaN, 0.5, 0.5));
        new SplitRatios(0.7, 0.2, 0.1);
    }
}
