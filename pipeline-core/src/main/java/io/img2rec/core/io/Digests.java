package io.img2rec.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Reading a file once into one or more message digests: the one loop behind {@link Sha256} and the weights' checks. */
public final class Digests {
    private Digests() {
    }

    /** @throws IllegalStateException when this JVM lacks {@code algorithm} (every JVM has MD5 and SHA-256) */
    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    /**
     * Feeds {@code file}'s content, in one pass, to every digest in {@code into}.
     *
     * @return the number of bytes read
     */
    public static long feed(Path file, MessageDigest... into) throws IOException {
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (MessageDigest digest : into) {
                    digest.update(buffer, 0, n);
                }
                size += n;
            }
        }
        return size;
    }
}
