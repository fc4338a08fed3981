package io.img2rec.serve.api;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.manifest.ImageFormat;
import io.img2rec.core.manifest.ImageInspector;
import io.img2rec.core.manifest.RejectReason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Admits an image before decoding it: the manifest's {@link ImageInspector} reads the header (the pixel limit is
 * applied before any pixel is decoded, so a small file claiming 30000×30000 is refused cheaply), sniffs the format
 * from the content, checks PNG CRCs and structure, and hashes the bytes; only then is it decoded (EXIF orientation
 * honoured, grey/CMYK/16-bit/alpha converted). Uploaded bytes are spilled to a private temporary file for the
 * inspector and deleted afterwards. Thread-safe.
 */
public final class ImageGate {
    /** An admitted, decoded image. */
    public record Admitted(RgbImage image, String sha256) {
    }

    /** A refused image: the reason code and what was wrong. */
    public static final class Refused extends Exception {
        private final RejectReason reason;

        public Refused(RejectReason reason, String message) {
            super(message);
            this.reason = reason;
        }

        /** Null when the decoder, not the inspector, refused it. */
        public RejectReason reason() {
            return reason;
        }
    }

    private static final Set<String> EXTENSIONS = Arrays.stream(ImageFormat.values())
            .flatMap(f -> f.extensions().stream()).collect(Collectors.toUnmodifiableSet());

    private final ImageInspector inspector;
    private final long maxPixels;

    public ImageGate(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        this.inspector = new ImageInspector(maxPixels, 1, EXTENSIONS);
    }

    public long maxPixels() {
        return maxPixels;
    }

    public Admitted admit(Path file, String name) throws Refused {
        ImageInspector.Outcome outcome = inspector.inspect(file);
        if (!outcome.accepted()) {
            String detail = outcome.detail().replace(file.toString(), name);
            throw new Refused(outcome.reason(), name + ": " + outcome.reason().code() + " (" + detail + ")");
        }
        try {
            return new Admitted(ImageDecoder.decode(Files.readAllBytes(file), name), outcome.info().sha256());
        } catch (ImageDecodeException e) {
            throw new Refused(RejectReason.CORRUPT_IMAGE, e.getMessage());
        } catch (IOException e) {
            throw new Refused(RejectReason.UNREADABLE, name + ": unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }

    public Admitted admit(byte[] bytes, String name) throws Refused, IOException {
        if (bytes.length == 0) {
            throw new Refused(RejectReason.EMPTY_FILE, name + ": empty-file (0 bytes)");
        }
        Path temp = Files.createTempFile("img2rec-upload-", ".bin");
        try {
            Files.write(temp, bytes);
            return admit(temp, name);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
