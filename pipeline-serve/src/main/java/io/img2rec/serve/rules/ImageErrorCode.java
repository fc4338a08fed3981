package io.img2rec.serve.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.img2rec.core.manifest.RejectReason;

/**
 * Why an image has no result: one code per {@link RejectReason} (same stable names, as in {@code rejected.csv}), plus
 * the serving-only codes. {@link #code()} is what JSON carries; callers decide from the constant, never from the
 * message.
 *
 * <p>Every code but {@link #ANALYSIS_FAILED} describes the input; {@link #ANALYSIS_FAILED} says that the input was
 * admitted and decoded but the analysis itself failed (a model or native fault, out of memory): not the caller's
 * fault. Whether a code is the caller's fault depends on where the image came from (an unreadable file on a path
 * the caller named is theirs; an upload the server could not buffer is the server's), so the HTTP status of a code
 * is decided in one place, {@code io.img2rec.serve.http.ImageErrorStatus}, and nowhere else.
 */
public enum ImageErrorCode {
    /** Zero bytes. */
    EMPTY_FILE(RejectReason.EMPTY_FILE.code()),
    /** The content is not an image (e.g. an HTML page named {@code .jpg}). */
    NOT_AN_IMAGE(RejectReason.NOT_AN_IMAGE.code()),
    /** An image format that cannot be decoded here. */
    UNSUPPORTED_FORMAT(RejectReason.UNSUPPORTED_FORMAT.code()),
    /** Damaged: truncated, bad checksum, undecodable. */
    CORRUPT_IMAGE(RejectReason.CORRUPT_IMAGE.code()),
    /** The header claims more pixels than the limit; refused before decoding. */
    TOO_MANY_PIXELS(RejectReason.TOO_MANY_PIXELS.code()),
    /** Smaller than the smallest usable side. */
    TOO_SMALL(RejectReason.TOO_SMALL.code()),
    /**
     * The file or folder could not be read (no permission, a device, a link that loops), or uploaded bytes could not
     * be buffered to a temporary file.
     */
    UNREADABLE(RejectReason.UNREADABLE.code()),
    /** A symbolic link whose target is missing. */
    BROKEN_SYMLINK(RejectReason.BROKEN_SYMLINK.code()),
    /** A manifest-only reason (a folder that names no label); listed so every reject reason has a code. */
    NOT_A_LABEL_FOLDER(RejectReason.NOT_A_LABEL_FOLDER.code()),
    /** The image was admitted, but analysing it failed (model or native fault, out of memory): a server fault. */
    ANALYSIS_FAILED("analysis-failed");

    private final String code;

    ImageErrorCode(String code) {
        this.code = code;
    }

    /** Stable lower-case, hyphenated name, e.g. {@code "too-many-pixels"}; what JSON carries. */
    @JsonValue
    public String code() {
        return code;
    }

    /** The code for a reject reason of the image inspector. */
    public static ImageErrorCode of(RejectReason reason) {
        return switch (reason) {
            case EMPTY_FILE -> EMPTY_FILE;
            case NOT_AN_IMAGE -> NOT_AN_IMAGE;
            case UNSUPPORTED_FORMAT -> UNSUPPORTED_FORMAT;
            case CORRUPT_IMAGE -> CORRUPT_IMAGE;
            case TOO_MANY_PIXELS -> TOO_MANY_PIXELS;
            case TOO_SMALL -> TOO_SMALL;
            case UNREADABLE -> UNREADABLE;
            case BROKEN_SYMLINK -> BROKEN_SYMLINK;
            case NOT_A_LABEL_FOLDER -> NOT_A_LABEL_FOLDER;
        };
    }

    /** @throws IllegalArgumentException naming the unknown code and the known ones */
    @JsonCreator
    public static ImageErrorCode fromCode(String code) {
        for (ImageErrorCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown image error code '" + code + "'; known: "
                + java.util.Arrays.stream(values()).map(ImageErrorCode::code).toList());
    }
}
