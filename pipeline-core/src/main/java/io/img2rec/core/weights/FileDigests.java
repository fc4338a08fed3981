package io.img2rec.core.weights;

import io.img2rec.core.io.Digests;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A file's MD5 and SHA-256, computed in one pass.
 *
 * @param md5    lower-case hex
 * @param sha256 lower-case hex
 * @param size   bytes
 */
public record FileDigests(String md5, String sha256, long size) {

    public FileDigests {
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** @return the digests of {@code file}'s content */
    public static FileDigests of(Path file) throws IOException {
        MessageDigest md5 = Digests.newDigest("MD5");
        MessageDigest sha256 = Digests.newDigest("SHA-256");
        long size = Digests.feed(file, md5, sha256);
        HexFormat hex = HexFormat.of();
        return new FileDigests(hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()), size);
    }
}
