package io.img2rec.core.io;

import io.img2rec.core.weights.FileDigests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DigestsTest {
    @Test
    void oneReadOfAFileGivesTheKnownDigestsOfItsBytes(@TempDir Path dir) throws Exception {
        Path abc = Files.writeString(dir.resolve("abc.txt"), "abc", StandardCharsets.US_ASCII);
        // FIPS 180-2 and RFC 1321 test vectors for "abc"
        String sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertEquals(sha256, Sha256.of(abc));
        assertEquals(sha256, Sha256.of("abc"));
        FileDigests both = FileDigests.of(abc);
        assertEquals(new FileDigests("900150983cd24fb0d6963f7d28e17f72", sha256, 3), both);

        byte[] large = new byte[(1 << 16) * 3 + 17]; // more than one buffer, not a multiple of it
        Arrays.fill(large, (byte) 7);
        Path big = Files.write(dir.resolve("big.bin"), large);
        assertEquals(large.length, FileDigests.of(big).size());
        assertEquals(Sha256.of(big), FileDigests.of(big).sha256());
        assertEquals(0, FileDigests.of(Files.write(dir.resolve("empty"), new byte[0])).size());
    }
}
