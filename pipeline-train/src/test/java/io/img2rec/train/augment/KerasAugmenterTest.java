package io.img2rec.train.augment;

import io.img2rec.core.config.AugmentConfig;
import io.img2rec.core.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasAugmenterTest {

    // ---- fixtures -------------------------------------------------------------------------------------------

    private static RgbImage noise(int width, int height, long seed) {
        byte[] pixels = new byte[width * height * 3];
        new SplittableRandom(seed).nextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    private static void put(byte[] pixels, int width, int x, int y, int channel, int value) {
        pixels[(y * width + x) * 3 + channel] = (byte) value;
    }

    private static void putGrey(byte[] pixels, int width, int x, int y, int value) {
        for (int c = 0; c < 3; c++) {
            put(pixels, width, x, y, c, value);
        }
    }

    private static AugmentParams shift(double rows, double cols) {
        return new AugmentParams(0, rows, cols, 0, 1, 1, false, 1);
    }

    private static AugmentParams zoom(double factor) {
        return new AugmentParams(0, 0, 0, 0, factor, factor, false, 1);
    }

    private static AugmentParams rotation(double degrees) {
        return new AugmentParams(degrees, 0, 0, 0, 1, 1, false, 1);
    }

    private static AugmentParams shear(double degrees) {
        return new AugmentParams(0, 0, 0, degrees, 1, 1, false, 1);
    }

    /** A 32 × 32 black image with a white 8 × 8 square on rows and columns 13..20, centred on Keras's o = 16.5. */
    private static RgbImage centredSquare() {
        byte[] pixels = new byte[32 * 32 * 3];
        for (int y = 13; y <= 20; y++) {
            for (int x = 13; x <= 20; x++) {
                putGrey(pixels, 32, x, y, 255);
            }
        }
        return new RgbImage(32, 32, pixels);
    }

    // ---- identity and flip ----------------------------------------------------------------------------------

    @Test
    void identityParamsLeaveTheImageUnchanged() {
        RgbImage image = noise(16, 12, 1);
        assertArrayEquals(image.pixels(), KerasAugmenter.apply(image, AugmentParams.identity()).pixels());
    }

    @Test
    void warpWithTheIdentityMapReproducesEveryPixel() {
        RgbImage image = noise(16, 16, 2);
        RgbImage warped = KerasAugmenter.warp(image, new double[] {1, 0, 0, 0, 1, 0});
        assertArrayEquals(image.pixels(), warped.pixels());
    }

    @Test
    void horizontalFlipMirrorsColumnsAndNeverRows() {
        RgbImage image = noise(16, 12, 3);
        RgbImage flipped = KerasAugmenter.apply(image, new AugmentParams(0, 0, 0, 0, 1, 1, true, 1));
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(image.value(15 - x, y, c), flipped.value(x, y, c), "pixel " + x + "," + y);
                }
            }
        }
        assertArrayEquals(image.pixels(), KerasAugmenter.flipColumns(flipped).pixels());
    }

    // ---- geometry, each case derived by hand from Keras's matrices --------------------------------------------

    @Test
    void shiftMovesAMarkedPixelWhereKerasWouldAndReplicatesTheEdges() {
        // Keras: T' = offset(o) · [[1,0,tx],[0,1,ty],[0,0,1]] · offset(-o) = the shift itself (translations commute),
        // read as output -> input: out[r, c] = in[r + tx, c + ty]. With tx = 2 rows, ty = 3 columns the pixel at
        // input (row 10, col 12) shows up at output (row 8, col 9): positive shifts move content up and left.
        // Output rows 30, 31 and columns 29..31 sample beyond the image: 'nearest' repeats row 31 / column 31,
        // so the input's bottom row appears on output rows 29..31 and its right column on output columns 28..31.
        int size = 32;
        byte[] pixels = new byte[size * size * 3];
        putGrey(pixels, size, 12, 10, 255);
        for (int i = 0; i < size; i++) {
            put(pixels, size, size - 1, i, 0, 200); // right column: red 200
            put(pixels, size, i, size - 1, 1, 100); // bottom row: green 100
        }
        RgbImage image = new RgbImage(size, size, pixels);

        assertArrayEquals(new double[] {1, 0, 3, 0, 1, 2}, KerasAugmenter.openCvInverseMap(shift(2, 3), size, size), 1e-12);
        RgbImage out = KerasAugmenter.apply(image, shift(2, 3));

        assertEquals(255, out.value(9, 8, 2), "marked pixel (input row 10, col 12) at output row 8, col 9");
        assertEquals(0, out.value(12, 10, 2), "nothing left at the input position");
        for (int i = 0; i < size; i++) {
            assertEquals(0, out.value(27, i, 0), "column 27 samples column 30 (no red), row " + i);
            for (int x = 28; x < size; x++) {
                assertEquals(200, out.value(x, i, 0), "replicated right column at x=" + x + ", y=" + i);
            }
            assertEquals(0, out.value(i, 28, 1), "row 28 samples row 30 (no green), column " + i);
            for (int y = 29; y < size; y++) {
                assertEquals(100, out.value(i, y, 1), "replicated bottom row at x=" + i + ", y=" + y);
            }
        }
    }

    @Test
    void zoomTwoHalvesAnObjectAboutTheCentreAndZoomHalfDoublesIt() {
        // Keras: in = o + z · (out − o), o = 32/2 + 0.5 = 16.5. The square covers 13..20 (8 pixels).
        // z = 2: output column 15 samples 13.5, 18 samples 19.5 (inside), 14 samples 11.5 and 19 samples 21.5
        //        (outside): columns 15..18, 4 pixels, centred on 16.5.
        // z = 0.5: output column 9 samples 12.75 (value 191), 24 samples 20.25 (191), 8 and 25 sample 12.25 and
        //        20.75 (value 64): 16 pixels of at least 128 on columns 9..24, centred on 16.5.
        RgbImage square = centredSquare();
        assertSpan(KerasAugmenter.apply(square, zoom(2.0)), 15, 18);
        assertSpan(KerasAugmenter.apply(square, zoom(0.5)), 9, 24);
    }

    private static void assertSpan(RgbImage out, int first, int last) {
        for (int i = 0; i < 32; i++) {
            boolean inside = i >= first && i <= last;
            assertEquals(inside, out.value(i, 16, 0) >= 128, "centre row, column " + i + " = " + out.value(i, 16, 0));
            assertEquals(inside, out.value(16, i, 0) >= 128, "centre column, row " + i + " = " + out.value(16, i, 0));
        }
    }

    @Test
    void rotationByNinetyDegreesTurnsContentClockwiseAsKerasDoes() {
        // Keras: rotation = [[cos θ, −sin θ], [sin θ, cos θ]] in (row, col), read as output -> input about
        // o = 16/2 + 0.5 = 8.5. For θ = 90°: r_in − o = −(c_out − o) and c_in − o = r_out − o, so
        // r_out = c_in and c_out = 2o − r_in = 17 − r_in. Input (row 2, col 5) -> output (row 5, col 15):
        // the top of the image goes to the right, i.e. clockwise on screen.
        int size = 16;
        byte[] pixels = new byte[size * size * 3];
        putGrey(pixels, size, 5, 2, 255);
        RgbImage out = KerasAugmenter.apply(new RgbImage(size, size, pixels), rotation(90));
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int expected = x == 15 && y == 5 ? 255 : 0;
                assertEquals(expected, out.value(x, y, 0), "pixel x=" + x + ", y=" + y);
            }
        }
    }

    @Test
    void shearIsInDegreesSoPointTwoBarelyMovesAnything() {
        // Keras: shear = [[1, −sin s, 0], [0, cos s, 0]] with s = deg2rad(0.2). A corner lies ≤ 17 px from the
        // centre, so it moves by at most sin(0.2°)·17 ≈ 0.06 px (< tan(0.2°)·32 ≈ 0.11); read as radians,
        // 0.2 would move it by about 3.4 px.
        int size = 32;
        double[] map = KerasAugmenter.openCvInverseMap(shear(0.2), size, size);
        double bound = Math.tan(Math.toRadians(0.2)) * size;
        double largest = 0;
        for (int y : new int[] {0, size - 1}) {
            for (int x : new int[] {0, size - 1}) {
                double dx = map[0] * x + map[1] * y + map[2] - x;
                double dy = map[3] * x + map[4] * y + map[5] - y;
                largest = Math.max(largest, Math.hypot(dx, dy));
            }
        }
        assertTrue(largest > 0 && largest < bound, "corner displacement " + largest + " px, bound " + bound);

        byte[] pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                putGrey(pixels, size, x, y, 8 * y);
            }
        }
        RgbImage ramp = new RgbImage(size, size, pixels);
        RgbImage out = KerasAugmenter.apply(ramp, shear(0.2));
        for (int i = 0; i < pixels.length; i++) {
            assertTrue(Math.abs((pixels[i] & 0xFF) - (out.pixels()[i] & 0xFF)) <= 1, "byte " + i);
        }
    }

    @Test
    void combinedWarpAgreesWithDirectBilinearSamplingOfTheKerasMap() {
        // An independent reference: for every output (row, col), read Keras's 3 × 3 (row, col) matrix as scipy does
        // (in = T'·out), clamp like mode='nearest' and interpolate bilinearly in doubles. This checks the swap to
        // OpenCV's (x, y) order and WARP_INVERSE_MAP; OpenCV's 1/32-pixel weights cost at most a level on this ramp.
        // (Checked once by hand against scipy.ndimage.affine_transform 1.17 on a textured image: mean 0.44 levels.)
        int width = 40;
        int height = 30;
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    put(pixels, width, x, y, c, 2 * x + 4 * y + 20 * c);
                }
            }
        }
        RgbImage image = new RgbImage(width, height, pixels);
        AugmentParams params = new AugmentParams(23.0, 2.7, -4.1, 15.0, 1.3, 0.85, false, 1.0);
        double[][] t = KerasAugmenter.kerasInverseMap(params, height, width);
        RgbImage out = KerasAugmenter.apply(image, params);
        for (int r = 0; r < height; r++) {
            for (int col = 0; col < width; col++) {
                double rowIn = clamp(t[0][0] * r + t[0][1] * col + t[0][2], height - 1);
                double colIn = clamp(t[1][0] * r + t[1][1] * col + t[1][2], width - 1);
                int r0 = (int) Math.floor(rowIn);
                int c0 = (int) Math.floor(colIn);
                int r1 = Math.min(r0 + 1, height - 1);
                int c1 = Math.min(c0 + 1, width - 1);
                double fr = rowIn - r0;
                double fc = colIn - c0;
                for (int ch = 0; ch < 3; ch++) {
                    double expected = (1 - fr) * ((1 - fc) * image.value(c0, r0, ch) + fc * image.value(c1, r0, ch))
                            + fr * ((1 - fc) * image.value(c0, r1, ch) + fc * image.value(c1, r1, ch));
                    assertEquals(expected, out.value(col, r, ch), 1.0, "row " + r + ", col " + col + ", channel " + ch);
                }
            }
        }
    }

    private static double clamp(double value, int last) {
        return Math.max(0, Math.min(last, value));
    }

    // ---- brightness ----------------------------------------------------------------------------------------

    @Test
    void brightnessHalvesAtPointFiveAndClipsAtOnePointFive() {
        int[] values = {0, 1, 101, 200, 255};
        byte[] pixels = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            putGrey(pixels, values.length, i, 0, values[i]);
        }
        RgbImage image = new RgbImage(values.length, 1, pixels);
        RgbImage darker = KerasAugmenter.apply(image, new AugmentParams(0, 0, 0, 0, 1, 1, false, 0.5));
        RgbImage brighter = KerasAugmenter.apply(image, new AugmentParams(0, 0, 0, 0, 1, 1, false, 1.5));
        int[] expectedDarker = {0, 0, 50, 100, 127};     // PIL truncates: 101 · 0.5 = 50.5 -> 50
        int[] expectedBrighter = {0, 1, 151, 255, 255};  // 200 · 1.5 = 300 -> clipped
        for (int i = 0; i < values.length; i++) {
            assertEquals(expectedDarker[i], darker.value(i, 0, 1), "0.5 × " + values[i]);
            assertEquals(expectedBrighter[i], brighter.value(i, 0, 1), "1.5 × " + values[i]);
        }
    }

    @Test
    void brightnessStretchesTheMaximumTo255FirstAsKerasArrayToImgDoes() {
        byte[] pixels = new byte[2 * 3];
        putGrey(pixels, 2, 0, 0, 50);
        putGrey(pixels, 2, 1, 0, 100);
        RgbImage out = KerasAugmenter.brightness(new RgbImage(2, 1, pixels), 1.0);
        assertEquals(127, out.value(0, 0, 0)); // 50 / 100 · 255 = 127.5, truncated
        assertEquals(255, out.value(1, 0, 0));
    }

    // ---- draws ---------------------------------------------------------------------------------------------

    @Test
    void drawsAndAugmentationsAreDeterministicForASeed() {
        AugmentConfig config = AugmentConfig.defaults();
        assertEquals(KerasAugmenter.draw(config, 32, 24, new SplittableRandom(42)),
                KerasAugmenter.draw(config, 32, 24, new SplittableRandom(42)));
        assertNotEquals(KerasAugmenter.draw(config, 32, 24, new SplittableRandom(42)),
                KerasAugmenter.draw(config, 32, 24, new SplittableRandom(43)));
        var augmenter = new KerasAugmenter(config);
        RgbImage image = noise(24, 32, 5);
        assertArrayEquals(augmenter.augment(image, 7L).pixels(), augmenter.augment(image, 7L).pixels());
    }

    @Test
    void drawsStayWithinTheConfiguredRangesAndFlipAboutHalfTheTime() {
        AugmentConfig config = AugmentConfig.defaults();
        int height = 150;
        int width = 120;
        var random = new SplittableRandom(11);
        int n = 10_000;
        int flips = 0;
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            AugmentParams p = KerasAugmenter.draw(config, height, width, random);
            double[] v = {p.rotationDeg(), p.rowShiftPx(), p.colShiftPx(), p.shearDeg(), p.zoomRow(), p.zoomCol(), p.brightness()};
            for (int k = 0; k < v.length; k++) {
                min[k] = Math.min(min[k], v[k]);
                max[k] = Math.max(max[k], v[k]);
            }
            flips += p.flip() ? 1 : 0;
        }
        double[] lo = {-40, -0.2 * height, -0.2 * width, -0.2, 0.8, 0.8, 0.5};
        double[] hi = {40, 0.2 * height, 0.2 * width, 0.2, 1.7, 1.7, 1.5};
        for (int k = 0; k < lo.length; k++) {
            double span = hi[k] - lo[k];
            assertTrue(min[k] >= lo[k] && min[k] < lo[k] + 0.01 * span, "component " + k + " min " + min[k]);
            assertTrue(max[k] <= hi[k] && max[k] > hi[k] - 0.01 * span, "component " + k + " max " + max[k]);
        }
        assertTrue(flips > 4700 && flips < 5300, "flips " + flips + " of " + n); // ±6 standard deviations
    }

    @Test
    void heightShiftMovesRowsAndWidthShiftMovesColumns() {
        var config = new AugmentConfig(true, 1, 1, 1, 0, 1, 1, 0, 0.0, 0.2, false);
        var random = new SplittableRandom(3);
        double largestRowShift = 0;
        for (int i = 0; i < 1000; i++) {
            AugmentParams p = KerasAugmenter.draw(config, 100, 10, random);
            assertEquals(0.0, p.colShiftPx(), 0.0);
            largestRowShift = Math.max(largestRowShift, Math.abs(p.rowShiftPx()));
            assertFalse(p.flip());
            assertEquals(1.0, p.brightness(), 0.0);
        }
        assertTrue(largestRowShift > 19 && largestRowShift <= 20, "row shift up to 0.2 · 100, got " + largestRowShift);
    }

    @Test
    void switchingOneComponentOffLeavesTheOtherDrawsUnchanged() {
        AugmentConfig all = AugmentConfig.defaults();
        var noRotation = new AugmentConfig(true, 4, 0.8, 1.7, 0.2, 0.5, 1.5, 0.0, 0.2, 0.2, true);
        AugmentParams a = KerasAugmenter.draw(all, 64, 64, new SplittableRandom(9));
        AugmentParams b = KerasAugmenter.draw(noRotation, 64, 64, new SplittableRandom(9));
        assertEquals(0.0, b.rotationDeg(), 0.0);
        assertEquals(new AugmentParams(0, a.rowShiftPx(), a.colShiftPx(), a.shearDeg(), a.zoomRow(), a.zoomCol(),
                a.flip(), a.brightness()), b);
    }

    @Test
    void disabledConfigReturnsTheImageUntouched() {
        var off = new AugmentConfig(false, 1, 0.8, 1.7, 0.2, 0.5, 1.5, 40, 0.2, 0.2, true);
        RgbImage image = noise(8, 8, 4);
        assertSame(image, new KerasAugmenter(off).augment(image, 1L));
        assertEquals(AugmentParams.identity(), KerasAugmenter.draw(off, 8, 8, new SplittableRandom(1)));
    }

    @Test
    void defaultAugmentationKeepsTheSizeAndChangesThePixels() {
        RgbImage image = noise(32, 24, 6);
        RgbImage out = new KerasAugmenter(AugmentConfig.defaults()).augment(image, new SplittableRandom(8));
        assertEquals(32, out.width());
        assertEquals(24, out.height());
        assertFalse(java.util.Arrays.equals(image.pixels(), out.pixels()));
    }
}
