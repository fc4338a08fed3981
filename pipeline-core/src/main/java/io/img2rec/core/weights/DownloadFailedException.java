package io.img2rec.core.weights;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A download that did not give a verified file: every attempt failed, the server refused it for good (e.g. HTTP 404),
 * or the complete file did not match its checksum. The message names the URL, the target and each attempt; nothing
 * unverified is left at the target.
 */
public class DownloadFailedException extends WeightsException {

    private static final long serialVersionUID = 1L;

    private final URI url;
    private final transient List<DownloadAttempt> attempts;

    public DownloadFailedException(String message, URI url, List<DownloadAttempt> attempts) {
        super(message);
        this.url = Objects.requireNonNull(url, "url");
        this.attempts = List.copyOf(attempts);
    }

    /** @return the address that was tried */
    public URI url() {
        return url;
    }

    /** @return what each attempt did, in order */
    public List<DownloadAttempt> attempts() {
        return attempts;
    }
}
