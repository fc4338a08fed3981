package io.img2rec.serve.http;

import io.img2rec.serve.rules.ImageErrorCode;

/**
 * The one place where an image's {@link ImageErrorCode} becomes an HTTP status, from the code alone (never from the
 * message or the image's name).
 *
 * <table>
 * <caption>code → status</caption>
 * <tr><th>code</th><th>status</th><th>why</th></tr>
 * <tr><td>too-many-pixels</td><td>413</td><td>the image is larger than the server accepts</td></tr>
 * <tr><td>unsupported-format</td><td>415</td><td>an image format the server cannot decode</td></tr>
 * <tr><td>empty-file, not-an-image, corrupt-image</td><td>400</td><td>the body is not a usable image</td></tr>
 * <tr><td>too-small</td><td>422</td><td>a valid image too small to analyse</td></tr>
 * <tr><td>analysis-failed</td><td>500</td><td>the server failed (model, native code, memory)</td></tr>
 * <tr><td>unreadable</td><td>500</td><td>an upload is received in full, so only the server's own temporary file can
 * be unreadable</td></tr>
 * <tr><td>broken-symlink, not-a-label-folder</td><td>500</td><td>path-only codes: over HTTP they can only mean a
 * server bug</td></tr>
 * </table>
 */
public final class ImageErrorStatus {
    private ImageErrorStatus() {
    }

    /** The HTTP status answering an image refused or failed with {@code code}. */
    public static int of(ImageErrorCode code) {
        return switch (code) {
            case TOO_MANY_PIXELS -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case EMPTY_FILE, NOT_AN_IMAGE, CORRUPT_IMAGE -> 400;
            case TOO_SMALL -> 422;
            case ANALYSIS_FAILED, UNREADABLE, BROKEN_SYMLINK, NOT_A_LABEL_FOLDER -> 500;
        };
    }

    /** True when the status is a server fault (5xx): the answer carries an error id, and the log says more. */
    public static boolean serverFault(ImageErrorCode code) {
        return of(code) >= 500;
    }
}
