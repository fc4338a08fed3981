package io.img2rec.core.manifest;

/** Why a file was left out of the manifest. The {@link #code()} values are stable: they are written to {@code rejected.csv}. */
public enum RejectReason {
    EMPTY_FILE("empty-file"),
    NOT_AN_IMAGE("not-an-image"),
    UNSUPPORTED_FORMAT("unsupported-format"),
    CORRUPT_IMAGE("corrupt-image"),
    TOO_MANY_PIXELS("too-many-pixels"),
    TOO_SMALL("too-small"),
    UNREADABLE("unreadable"),
    BROKEN_SYMLINK("broken-symlink"),
    NOT_A_LABEL_FOLDER("not-a-label-folder");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** Lowercase-hyphen code, e.g. {@code "too-many-pixels"}. */
    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException naming the unknown code */
    public static RejectReason fromCode(String code) {
        for (RejectReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("Unknown reject reason '" + code + "'");
    }
}
