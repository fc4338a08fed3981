package io.img2rec.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        MessageDigest md5 = digest("MD5");
        MessageDigest sha256 = digest("SHA-256");
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
                sha256.update(buffer, 0, n);
                size += n;
            }
        }
        HexFormat hex = HexFormat.of();
        return new FileDigests(hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()), size);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
