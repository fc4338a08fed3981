package io.img2rec.core.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** Image container formats recognised from their first bytes ("magic"), never from the file name. */
public enum ImageFormat {
    JPEG("jpeg", Set.of("jpg", "jpeg"), true),
    PNG("png", Set.of("png"), true),
    GIF("gif", Set.of("gif"), true),
    BMP("bmp", Set.of("bmp"), true),
    TIFF("tiff", Set.of("tif", "tiff"), false),
    WEBP("webp", Set.of("webp"), false),
    HEIF("heif", Set.of("heic", "heif", "avif"), false);

    /** Bytes needed by {@link #sniff(byte[], int)} to recognise every format. */
    public static final int MAGIC_LENGTH = 16;

    private final String code;
    private final Set<String> extensions;
    private final boolean decodable;

    ImageFormat(String code, Set<String> extensions, boolean decodable) {
        this.code = code;
        this.extensions = extensions;
        this.decodable = decodable;
    }

    /** Lowercase name written to {@code manifest.csv}, also the javax.imageio format name. */
    public String code() {
        return code;
    }

    /** File extensions usually carried by this format. */
    public Set<String> extensions() {
        return extensions;
    }

    /** Whether the scanner can check and decode this format (javax.imageio ships a reader). */
    public boolean decodable() {
        return decodable;
    }

    /** Recognises the format from the first {@code length} bytes of a file. */
    public static Optional<ImageFormat> sniff(byte[] head, int length) {
        if (length >= 3 && u(head[0]) == 0xFF && u(head[1]) == 0xD8 && u(head[2]) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (length >= 8 && u(head[0]) == 0x89 && ascii(head, 1, "PNG") && head[4] == 0x0D && head[5] == 0x0A
                && head[6] == 0x1A && head[7] == 0x0A) {
            return Optional.of(PNG);
        }
        if (length >= 6 && (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a"))) {
            return Optional.of(GIF);
        }
        if (length >= 14 && ascii(head, 0, "BM")) {
            return Optional.of(BMP);
        }
        if (length >= 4 && (ascii(head, 0, "II") && head[2] == 42 && head[3] == 0
                || ascii(head, 0, "MM") && head[2] == 0 && head[3] == 42)) {
            return Optional.of(TIFF);
        }
        if (length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        if (length >= 12 && ascii(head, 4, "ftyp")) {
            String brand = new String(head, 8, 4, StandardCharsets.US_ASCII);
            if (Set.of("heic", "heix", "hevc", "mif1", "msf1", "avif", "avis").contains(brand)) {
                return Optional.of(HEIF);
            }
        }
        return Optional.empty();
    }

    private static int u(byte b) {
        return b & 0xFF;
    }

    private static boolean ascii(byte[] data, int offset, String text) {
        if (offset + text.length() > data.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (data[offset + i] != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
