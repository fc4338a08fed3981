package io.img2rec.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** SHA-256 of files and strings, as lowercase hex. */
public final class Sha256 {
    private Sha256() {
    }

    public static String of(Path file) throws IOException {
        MessageDigest digest = Digests.newDigest("SHA-256");
        Digests.feed(file, digest);
        return hexOf(digest);
    }

    /** The lowercase hex of what {@code digest} was fed (the digest is reset). */
    public static String hexOf(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(String text) {
        return HexFormat.of().formatHex(Digests.newDigest("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
