package io.img2rec.core.manifest;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Walks the chunks of a PNG stream and checks each CRC and that the file ends with IEND. javax.imageio does not verify
 * chunk CRCs, so without this check a damaged PNG could pass as valid.
 */
final class PngChunkChecker {

    private static final long SIGNATURE_LENGTH = 8;

    private PngChunkChecker() {
    }

    /** @return a description of the first problem, or empty when the chunk structure is sound */
    static Optional<String> check(InputStream input) throws IOException {
        DataInputStream in = new DataInputStream(input);
        in.skipNBytes(SIGNATURE_LENGTH);
        long offset = SIGNATURE_LENGTH;
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int length;
            byte[] type = new byte[4];
            try {
                length = in.readInt();
                in.readFully(type);
            } catch (EOFException e) {
                return Optional.of("truncated: file ends at byte " + offset + " before the IEND chunk");
            }
            String typeName = new String(type, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (length < 0) {
                return Optional.of("chunk " + typeName + " at byte " + offset + " has an invalid length");
            }
            CRC32 crc = new CRC32();
            crc.update(type);
            long remaining = length;
            try {
                while (remaining > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        throw new EOFException();
                    }
                    crc.update(buffer, 0, n);
                    remaining -= n;
                }
                long stored = in.readInt() & 0xFFFFFFFFL;
                if (stored != crc.getValue()) {
                    return Optional.of("bad CRC in " + typeName + " chunk at byte " + offset);
                }
            } catch (EOFException e) {
                return Optional.of("truncated inside the " + typeName + " chunk at byte " + offset);
            }
            offset += 12L + length;
            if (typeName.equals("IEND")) {
                return Optional.empty();
            }
        }
    }
}
