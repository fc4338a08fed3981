package io.img2rec.core.manifest;

import io.img2rec.core.io.Sha256;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks one file: magic bytes, header-only size (no pixels allocated), pixel and side limits, structure (PNG CRCs),
 * a full decode, then the SHA-256 of its bytes. Thread-safe; one reader per call.
 *
 * <p>The order matters: the pixel-count limit is applied to the header alone, so a small file claiming a huge image
 * is rejected before anything is decoded.
 */
public final class ImageInspector {

    /** Width and height as displayed (EXIF orientation applied), the detected format and the content hash. */
    public record ImageInfo(int width, int height, ImageFormat format, String sha256) {
    }

    /** Either an {@link ImageInfo} or a rejection. */
    public record Outcome(ImageInfo info, RejectReason reason, String detail) {
        static Outcome ok(ImageInfo info) {
            return new Outcome(info, null, "");
        }

        static Outcome rejected(RejectReason reason, String detail) {
            return new Outcome(null, reason, detail);
        }

        public boolean accepted() {
            return info != null;
        }
    }

    /**
     * The default limit on width × height, read from the header before anything is decoded: 40 megapixels, so a
     * 12 MP phone photo fits three times over and a 30000×30000 decompression bomb does not. The one owner of this
     * default: scanning ({@link ScanOptions}), the {@code data.max_pixels} config key and serving refer to it.
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /** Decoded rasters are kept below about this many pixels by subsampling; the whole stream is still decoded. */
    private static final long DECODE_PIXEL_BUDGET = 4_000_000L;
    private static final int EXIF_PREFIX = 128 * 1024;

    private final long maxPixels;
    private final int minSide;
    private final Set<String> allowedFormats;
    private final LongAdder decodes = new LongAdder();

    /**
     * @param maxPixels  reject when width × height exceeds this, before decoding
     * @param minSide    reject when the shorter side is below this
     * @param extensions allowed extensions; a format is allowed when one of its usual extensions is listed
     */
    public ImageInspector(long maxPixels, int minSide, Set<String> extensions) {
        this.maxPixels = maxPixels;
        this.minSide = minSide;
        List<String> formats = new ArrayList<>();
        for (ImageFormat format : ImageFormat.values()) {
            if (format.extensions().stream().anyMatch(extensions::contains)) {
                formats.add(format.code());
            }
        }
        this.allowedFormats = Set.copyOf(formats);
    }

    public ImageInspector(ScanOptions options) {
        this(options.maxPixels(), options.minSide(), options.extensions());
    }

    /** How many full decodes this inspector has started (lets tests prove the pixel limit comes first). */
    public long decodeCount() {
        return decodes.sum();
    }

    /** Inspects one file; never throws for a bad file. */
    public Outcome inspect(Path file) {
        try {
            if (Files.isSymbolicLink(file) && !Files.exists(file)) {
                return Outcome.rejected(RejectReason.BROKEN_SYMLINK, "link target " + safeReadLink(file) + " does not exist");
            }
            long size = Files.size(file);
            if (size == 0) {
                return Outcome.rejected(RejectReason.EMPTY_FILE, "0 bytes");
            }
            byte[] head = new byte[EXIF_PREFIX];
            int headLength;
            try (InputStream in = Files.newInputStream(file)) {
                headLength = in.readNBytes(head, 0, head.length);
            }
            Optional<ImageFormat> sniffed = ImageFormat.sniff(head, headLength);
            if (sniffed.isEmpty()) {
                return Outcome.rejected(RejectReason.NOT_AN_IMAGE, "content does not start with a known image signature"
                        + describeStart(head, headLength));
            }
            ImageFormat format = sniffed.get();
            if (!format.decodable() || !allowedFormats.contains(format.code())) {
                return Outcome.rejected(RejectReason.UNSUPPORTED_FORMAT, "content is " + format.code()
                        + "; supported: " + allowedFormats.stream().sorted().toList());
            }
            return inspectImage(file, format, head, headLength);
        } catch (AccessDeniedException e) {
            return Outcome.rejected(RejectReason.UNREADABLE, "permission denied");
        } catch (IOException e) {
            return Outcome.rejected(RejectReason.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            return Outcome.rejected(RejectReason.CORRUPT_IMAGE, "failed while checking: " + e);
        }
    }

    private Outcome inspectImage(Path file, ImageFormat format, byte[] head, int headLength) throws IOException {
        int width;
        int height;
        ImageReader reader = readerFor(format);
        if (reader == null) {
            return Outcome.rejected(RejectReason.UNSUPPORTED_FORMAT, "no javax.imageio reader for " + format.code());
        }
        try (ImageInputStream stream = new FileImageInputStream(file.toFile())) {
            reader.setInput(stream, true, true);
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                return Outcome.rejected(RejectReason.CORRUPT_IMAGE, "header unreadable: " + message(e));
            }
            if (width <= 0 || height <= 0) {
                return Outcome.rejected(RejectReason.CORRUPT_IMAGE, "header claims " + width + "x" + height);
            }
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                return Outcome.rejected(RejectReason.TOO_MANY_PIXELS,
                        width + "x" + height + " = " + pixels + " pixels > limit " + maxPixels);
            }
            if (Math.min(width, height) < minSide) {
                return Outcome.rejected(RejectReason.TOO_SMALL, width + "x" + height + ", shorter side < " + minSide);
            }
            if (format == ImageFormat.PNG) {
                Optional<String> problem;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    problem = PngChunkChecker.check(in);
                }
                if (problem.isPresent()) {
                    return Outcome.rejected(RejectReason.CORRUPT_IMAGE, problem.get());
                }
            }
            Optional<String> decodeProblem = decode(reader, width, height);
            if (decodeProblem.isPresent()) {
                return decodeProblem.get().startsWith("Unsupported Image Type")
                        ? Outcome.rejected(RejectReason.UNSUPPORTED_FORMAT, decodeProblem.get())
                        : Outcome.rejected(RejectReason.CORRUPT_IMAGE, decodeProblem.get());
            }
        } finally {
            reader.dispose();
        }
        if (format == ImageFormat.JPEG && ExifOrientation.swapsSides(ExifOrientation.read(head, headLength))) {
            int swap = width;
            width = height;
            height = swap;
        }
        return Outcome.ok(new ImageInfo(width, height, format, Sha256.of(file)));
    }

    /**
     * The JDK's JPEG reader's notice for a CMYK/YCCK JPEG that carries no ICC profile (as Pillow, ImageMagick and
     * others write them): the file is valid and converts with a generic profile, so this notice is not damage.
     * ImageIO reports warnings only as text, so the reader's locale is set to {@link Locale#US} to get this text.
     */
    static final String JPEG_CMYK_WITHOUT_PROFILE = "No embedded ICC color profile, will convert using inaccurate CMYK "
            + "to RGB conversion. Colors may look incorrect.";

    /**
     * Decodes the whole stream (subsampled when large, to bound memory); any warning counts as damage, except the
     * JPEG reader's notice that a CMYK image has no colour profile.
     */
    private Optional<String> decode(ImageReader reader, int width, int height) {
        decodes.increment();
        try {
            reader.setLocale(Locale.US);
        } catch (IllegalArgumentException e) {
            // a reader without an English locale: its warnings all count as damage, as before
        }
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> {
            if (!JPEG_CMYK_WITHOUT_PROFILE.equals(warning)) {
                warnings.add(warning);
            }
        };
        reader.addIIOReadWarningListener(listener);
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            long pixels = (long) width * height;
            if (pixels > DECODE_PIXEL_BUDGET) {
                int step = (int) Math.ceil(Math.sqrt((double) pixels / DECODE_PIXEL_BUDGET));
                param.setSourceSubsampling(step, step, 0, 0);
            }
            reader.read(0, param);
        } catch (IIOException e) {
            return Optional.of(message(e));
        } catch (IOException | RuntimeException e) {
            return Optional.of("decode failed: " + message(e));
        } finally {
            reader.removeIIOReadWarningListener(listener);
        }
        if (!warnings.isEmpty()) {
            return Optional.of("decoder warning: " + String.join("; ", warnings));
        }
        return Optional.empty();
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.code());
        return readers.hasNext() ? readers.next() : null;
    }

    private static String message(Throwable e) {
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }

    private static String describeStart(byte[] head, int length) {
        int n = Math.min(length, 16);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = (char) (head[i] & 0xFF);
            text.append(c >= 32 && c < 127 ? c : '.');
        }
        return " (starts with \"" + text.toString().strip() + "\")";
    }

    private static String safeReadLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
