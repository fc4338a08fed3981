package io.img2rec.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.testing.BadInputCorpus;
import io.img2rec.core.testing.ProcessMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: the corpus straight into the decoder (no manifest in front). It never throws anything but
 * {@link ImageDecodeException}, decodes every valid item to RGB at its displayed size, and refuses both 30000×30000
 * PNGs from their header without allocating their pixels.
 */
class ImageDecoderBadInputTest {

    @TempDir
    Path dir;

    @Test
    void everyValidItemDecodesAndEveryOtherFailsWithAMessageNamingTheFile() throws Exception {
        List<BadInputCorpus.Item> items = BadInputCorpus.write(dir);
        int decoded = 0;
        int refused = 0;
        for (BadInputCorpus.Item item : items) {
            Path file = dir.resolve(item.name());
            if (item.kind() == BadInputCorpus.Kind.DIRECTORY) {
                assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(file), "a folder is not an image");
                RgbImage inside = ImageDecoder.decode(file.resolve(BadInputCorpus.NESTED_IMAGE));
                assertEquals(40, inside.width());
                decoded++;
                refused++;
                continue;
            }
            boolean mustDecode = item.servable();
            if (mustDecode) {
                RgbImage image = ImageDecoder.decode(file);
                assertEquals(image.width() * image.height() * 3, image.pixels().length, item.name());
                if (item.name().startsWith("exif")) {
                    assertEquals(List.of(40, 60), List.of(image.width(), image.height()), "orientation applied");
                }
                decoded++;
            } else if (item.name().equals("truncated.jpg") || item.name().equals("bad-crc.png")) {
                // the decoders are lenient (grey fill / no CRC check): the manifest's inspector is what refuses these,
                // and every entry point puts it in front of the decoder. Here we only require no crash.
                try {
                    ImageDecoder.decode(file);
                } catch (ImageDecodeException e) {
                    assertTrue(e.getMessage().contains(item.name()), e.getMessage());
                }
            } else {
                var e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(file), item.name());
                assertTrue(e.getMessage().contains(item.name()), e.getMessage());
                refused++;
            }
        }
        assertEquals(16, decoded, "15 valid corpus files + the image inside folder.jpg");
        assertEquals(6, refused, "empty, HTML, two bombs, the self-link, the folder");
    }

    @Test
    void aPngOf30000x30000RealPixelsIsRefusedFromItsHeaderInBoundedMemory() throws Exception {
        BadInputCorpus.write(dir);
        byte[] bomb = Files.readAllBytes(dir.resolve("deflate-bomb.png"));
        assertTrue(bomb.length < 200_000, "the bomb is small on disk: " + bomb.length + " bytes");
        long before = ProcessMemory.peakResidentKb();
        long start = System.nanoTime();
        var e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bomb, "deflate-bomb.png"));
        double millis = (System.nanoTime() - start) / 1e6;
        assertTrue(e.getMessage().contains("30000x30000") && e.getMessage().contains("refused without decoding"),
                e.getMessage());
        assertTrue(millis < 2_000, "refused in " + millis + " ms");
        long grownKb = ProcessMemory.peakResidentKb() - before;
        assertTrue(grownKb < 256 * 1024, "peak resident memory grew by " + grownKb + " KB (decoding would take 2.7 GB)");
    }
}
