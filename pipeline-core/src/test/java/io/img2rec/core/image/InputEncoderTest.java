package io.img2rec.core.image;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputEncoderTest {
    /** A 2x1 image: left pixel RGB (10, 20, 30), right pixel RGB (200, 100, 50). */
    private static final RgbImage TWO_PIXELS = new RgbImage(2, 1, new byte[] {10, 20, 30, (byte) 200, 100, 50});

    @Test
    void bgrRescaleReordersChannelsAndDividesBy255() {
        var encoder = new InputEncoder(2, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST, TensorLayout.NHWC);
        INDArray x = encoder.encode(List.of(TWO_PIXELS));
        assertArrayEquals(new long[] {1, 2, 2, 3}, x.shape());
        // Row 0 after nearest 2x1 -> 2x2 keeps the columns: pixel (0,0) is the left pixel, as B, G, R / 255.
        assertEquals(30 / 255f, x.getFloat(0, 0, 0, 0), 1e-7);
        assertEquals(20 / 255f, x.getFloat(0, 0, 0, 1), 1e-7);
        assertEquals(10 / 255f, x.getFloat(0, 0, 0, 2), 1e-7);
        assertEquals(50 / 255f, x.getFloat(0, 1, 1, 0), 1e-7);
    }

    @Test
    void caffeSubtractsImagenetBgrMeansWithoutRescaling() {
        var encoder = new InputEncoder(2, PixelPreprocessing.CAFFE, ResizeInterpolation.NEAREST, TensorLayout.NCHW);
        INDArray x = encoder.encode(List.of(TWO_PIXELS));
        assertArrayEquals(new long[] {1, 3, 2, 2}, x.shape());
        assertEquals(30 - 103.939f, x.getFloat(0, 0, 0, 0), 1e-4); // B plane
        assertEquals(20 - 116.779f, x.getFloat(0, 1, 0, 0), 1e-4); // G plane
        assertEquals(200 - 123.68f, x.getFloat(0, 2, 0, 1), 1e-4); // R plane, right pixel
    }

    @Test
    void nearestResizeIndexMapsEqualPillowsForCommonSizes() throws Exception {
        // Reference maps computed with Pillow itself (see the file's header); the old closed form
        // floor((i + 0.5) * src / dst) differs from them in up to 26 positions (e.g. 500 -> 150).
        int compared = 0;
        int closedFormDiffers = 0;
        try (var in = getClass().getResourceAsStream("/pil/nearest-index-maps.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int[] v = java.util.Arrays.stream(line.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                int src = v[0];
                int dst = v[1];
                int[] pil = java.util.Arrays.copyOfRange(v, 2, v.length);
                assertArrayEquals(pil, ImageResizer.nearestIndexMap(src, dst), src + " -> " + dst);
                for (int i = 0; i < dst; i++) {
                    closedFormDiffers += Math.min((int) Math.floor((i + 0.5) * src / dst), src - 1) != pil[i] ? 1 : 0;
                }
                compared++;
            }
        }
        assertEquals(15, compared);
        assertTrue(closedFormDiffers > 100, "the reference maps exercise the cases where PIL differs: "
                + closedFormDiffers);
    }

    @Test
    void nearestResizeSamplesPixelCentresLikePil() {
        assertArrayEquals(new int[] {0, 2, 4}, ImageResizer.nearestIndexMap(5, 3));
        assertArrayEquals(new int[] {0, 0, 1, 1}, ImageResizer.nearestIndexMap(2, 4)); // upscaling repeats
        byte[] row = {0, 0, 0, 50, 50, 50, 100, 100, 100, (byte) 150, (byte) 150, (byte) 150, (byte) 200, (byte) 200, (byte) 200};
        RgbImage resized = ImageResizer.resize(new RgbImage(5, 1, row), 3, 1, ResizeInterpolation.NEAREST);
        assertEquals(0, resized.value(0, 0, 0));
        assertEquals(100, resized.value(1, 0, 0));
        assertEquals(200, resized.value(2, 0, 0));
    }

    @Test
    void bilinearResizeOfUniformImageStaysUniformAndInterpolatesEdges() {
        RgbImage resized = ImageResizer.resize(TWO_PIXELS, 4, 1, ResizeInterpolation.BILINEAR);
        assertEquals(10, resized.value(0, 0, 0)); // clamped at the left border
        assertEquals(200, resized.value(3, 0, 0)); // clamped at the right border
        // target x=1 has centre 1.5*0.5-0.5 = 0.25 in source: 10*0.75 + 200*0.25 = 57.5 -> 58
        assertEquals(58, resized.value(1, 0, 0));
    }

    @Test
    void cropIsClampedToTheImage() {
        RgbImage crop = TWO_PIXELS.crop(1, -5, 10, 10);
        assertEquals(1, crop.width());
        assertEquals(1, crop.height());
        assertEquals(200, crop.value(0, 0, 0));
    }
}
