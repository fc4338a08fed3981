package io.img2rec.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.testing.TestImages;
import java.awt.Color;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExifOrientationTest {

    private static final byte[] PLAIN_JPEG = TestImages.encode(TestImages.solid(8, 8, Color.RED), "jpeg");

    @Test
    void readsEveryOrientationInBothByteOrders() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (int orientation = 1; orientation <= 8; orientation++) {
                byte[] jpeg = TestImages.jpegWithExifOrientation(PLAIN_JPEG, orientation, order);
                assertEquals(orientation, ExifOrientation.read(jpeg, jpeg.length), order + " " + orientation);
            }
        }
    }

    @Test
    void absentOrMalformedExifMeansNormal() {
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.read(PLAIN_JPEG, PLAIN_JPEG.length));
        byte[] png = TestImages.encode(TestImages.solid(8, 8, Color.RED), "png");
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.read(png, png.length));
        byte[] withExif = TestImages.jpegWithExifOrientation(PLAIN_JPEG, 6, ByteOrder.BIG_ENDIAN);
        for (int cut = 0; cut < 40; cut++) {
            byte[] truncated = Arrays.copyOf(withExif, cut);
            int read = ExifOrientation.read(truncated, truncated.length);
            assertTrue(read == ExifOrientation.NORMAL || read == 6, "cut " + cut + " gave " + read);
        }
        byte[] badOrientation = TestImages.jpegWithExifOrientation(PLAIN_JPEG, 42, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.read(badOrientation, badOrientation.length));
    }

    @Test
    void onlyOrientationsFiveToEightSwapSides() {
        for (int orientation = 1; orientation <= 8; orientation++) {
            assertEquals(orientation >= 5, ExifOrientation.swapsSides(orientation), "orientation " + orientation);
        }
        assertFalse(ExifOrientation.swapsSides(0));
    }
}
