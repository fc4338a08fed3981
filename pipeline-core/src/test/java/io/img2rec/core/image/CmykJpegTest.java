package io.img2rec.core.image;

import io.img2rec.core.manifest.ImageInspector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A valid CMYK JPEG without an embedded colour profile, as Pillow writes it ({@code convert('CMYK').save(…)}: an
 * Adobe marker, no ICC profile), generated for this test: left half RGB (200, 40, 30), right half (30, 60, 220).
 */
class CmykJpegTest {
    private static Path fixture(Path dir) throws Exception {
        Path file = dir.resolve("cmyk.jpg");
        try (var in = CmykJpegTest.class.getResourceAsStream("/cmyk-no-profile.jpg")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void cmykJpegWithoutProfileIsAcceptedByTheScanner(@TempDir Path dir) throws Exception {
        var outcome = new ImageInspector(40_000_000L, 16, Set.of("jpg")).inspect(fixture(dir));
        assertTrue(outcome.accepted(), "refused: " + outcome.reason() + " " + outcome.detail());
        assertEquals(64, outcome.info().width());
        assertEquals(48, outcome.info().height());
    }

    @Test
    void cmykJpegWithoutProfileDecodesToItsColours(@TempDir Path dir) throws Exception {
        RgbImage image = ImageDecoder.decode(fixture(dir));
        assertEquals(64, image.width());
        assertEquals(48, image.height());
        int[] left = {image.value(8, 24, 0), image.value(8, 24, 1), image.value(8, 24, 2)};
        int[] right = {image.value(56, 24, 0), image.value(56, 24, 1), image.value(56, 24, 2)};
        int[][] expected = {{200, 40, 30}, {30, 60, 220}};
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(left[c] - expected[0][c]) <= 12, "left channel " + c + " = " + left[c]);
            assertTrue(Math.abs(right[c] - expected[1][c]) <= 12, "right channel " + c + " = " + right[c]);
        }
    }
}
