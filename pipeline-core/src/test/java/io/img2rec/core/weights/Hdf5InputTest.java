package io.img2rec.core.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code .h5.gz}, the form in which the original keeps its ResNet50 weights, reads as the {@code .h5} itself. */
class Hdf5InputTest {
    @Test
    void gzipCompressedWeightsReadLikeTheFileItselfAndTheCopyIsDeleted(@TempDir Path dir) throws Exception {
        Path h5 = dir.resolve("tiny.h5");
        KerasWeightsImportTest.tinyCnnKerasWeights(7).write(h5);
        Path gz = dir.resolve("tiny.h5.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(h5, out);
        }
        var plain = KerasWeightsFile.read(h5, Set.of("tiny1_conv", "tiny2_conv"));
        var compressed = KerasWeightsFile.read(gz, Set.of("tiny1_conv", "tiny2_conv"));
        assertEquals(plain.fileLayers(), compressed.fileLayers());
        for (String layer : plain.layers().keySet()) {
            assertEquals(plain.layers().get(layer).arrays(), compressed.layers().get(layer).arrays(), layer);
        }
        Path copy;
        try (Hdf5Input input = Hdf5Input.of(gz)) {
            assertTrue(input.decompressed());
            copy = input.path();
            assertTrue(Files.isRegularFile(copy));
            assertTrue(input.describe().contains("decompressed from gzip"));
        }
        assertFalse(Files.exists(copy), "the decompressed copy is deleted");
        try (Hdf5Input input = Hdf5Input.of(h5)) {
            assertFalse(input.decompressed());
            assertEquals(h5, input.path());
        }
    }

    @Test
    void aDamagedGzipSaysSoAndWhatToDo(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("weights.h5.gz");
        byte[] bytes = new byte[64];
        Arrays.fill(bytes, (byte) 7);
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        Files.write(gz, bytes);
        var e = assertThrows(WeightsException.class, () -> KerasWeightsFile.read(gz, Set.of("a")));
        assertTrue(e.getMessage().contains("gzip") && e.getMessage().contains(gz.toString()), e.getMessage());
    }
}
