package io.img2rec.core.image;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void nearestResizeSamplesPixelCentresLikePil() {
        // PIL maps target i to source floor((i + 0.5) * src / dst): 3 -> 2 picks sources 0 and 1... here 5 -> 3 picks 0, 2, 4.
        assertEquals(0, ImageResizer.nearestSource(0, 5, 3));
        assertEquals(2, ImageResizer.nearestSource(1, 5, 3));
        assertEquals(4, ImageResizer.nearestSource(2, 5, 3));
        // upscaling 2 -> 4 repeats each source twice
        assertEquals(0, ImageResizer.nearestSource(1, 2, 4));
        assertEquals(1, ImageResizer.nearestSource(2, 2, 4));
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
