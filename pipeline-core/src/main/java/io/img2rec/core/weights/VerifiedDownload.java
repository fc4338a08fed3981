package io.img2rec.core.weights;

import io.img2rec.core.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file over HTTP(S) into a cache folder so that the target is either absent or verified:
 * <ul>
 *   <li>the bytes go to {@code .<name>.part} beside the target (a fixed name, so that a later attempt or a later
 *       run resumes it with an HTTP {@code Range} request; a server that ignores Range sends the whole file and the
 *       part is started again); the part is locked while written, so two processes do not write into one;</li>
 *   <li>the complete part is hashed; only when it matches the {@link ExpectedChecksum} is it renamed to the target,
 *       and its SHA-256 written next to it ({@code <name>.sha256}, as {@code sha256sum} prints it). A part that does
 *       not match is deleted; the message names both sums;</li>
 *   <li>connect and read timeouts; an attempt that fails for a reason that may pass (a timeout, a refused or
 *       dropped connection, HTTP 5xx, 408, 429) is retried after a back-off that doubles; other HTTP errors (404,
 *       403…) end the download at once; a host name that does not resolve is retried only when a later try
 *       starts after this JVM stops remembering the failed lookup ({@link #negativeLookupTtl}: 10 s by default,
 *       longer than the default four tries' back-off, so an offline machine gives up at once instead of after
 *       7 s of tries that could only repeat the cached failure);</li>
 *   <li>progress as a console bar or log lines ({@link WeightsDownload#consoleProgress()}).</li>
 * </ul>
 * Knows nothing of networks or weights formats. Thread-safe (holds only its settings).
 */
public final class VerifiedDownload {
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedDownload.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    private final WeightsDownload settings;

    public VerifiedDownload(WeightsDownload settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * What a successful download gave.
     *
     * @param file      the verified file (the target)
     * @param digests   its MD5, SHA-256 and size
     * @param attempts  every attempt, the last one being the success
     * @param url       where it came from
     */
    public record Result(Path file, FileDigests digests, List<DownloadAttempt> attempts, URI url) {
        public Result {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(digests, "digests");
            attempts = List.copyOf(attempts);
            Objects.requireNonNull(url, "url");
        }
    }

    /** @return {@code <target>.sha256}: the SHA-256 of what was verified, in {@code sha256sum}'s format */
    public static Path sha256File(Path target) {
        return target.resolveSibling(target.getFileName() + ".sha256");
    }

    /** @return the partial download of {@code target}: {@code .<name>.part} beside it */
    public static Path partFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    /**
     * Writes {@code <target>.sha256} when it is absent or says something else (best effort: a read-only cache only
     * loses the record, with a warning).
     */
    public static void recordSha256(Path target, FileDigests digests) {
        Path record = sha256File(target);
        String line = digests.sha256() + "  " + target.getFileName() + "\n";
        try {
            if (Files.isRegularFile(record) && Files.readString(record, StandardCharsets.UTF_8).equals(line)) {
                return;
            }
            AtomicFiles.writeString(record, line);
        } catch (IOException e) {
            LOG.warn("could not record the SHA-256 of {} in {}: {}", target, record, e.toString());
        }
    }

    /**
     * Downloads {@code url} to {@code target} (whose folder is created), verifying it against {@code expected}.
     * An existing target is replaced only by a verified file.
     *
     * @throws DownloadFailedException every attempt failed, the server refused, or the file's checksum is wrong
     */
    public Result fetch(URI url, Path target, ExpectedChecksum expected) throws DownloadFailedException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(expected, "expected");
        List<DownloadAttempt> attempts = new ArrayList<>();
        Path part = partFile(target.toAbsolutePath());
        try {
            Files.createDirectories(part.getParent());
        } catch (IOException e) {
            throw failed(url, target, attempts, "cannot create the folder " + part.getParent() + ": " + e);
        }
        FileDigests digests = lockAndDownload(url, target, part, expected, attempts);
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failed(url, target, attempts, "verified, but cannot move " + part + " to " + target + ": " + e);
        }
        recordSha256(target, digests);
        LOG.info("downloaded {} to {}: {} bytes, verified ({}); its SHA-256 {} is recorded in {}", url, target,
                digests.size(), expected, digests.sha256(), sha256File(target).getFileName());
        return new Result(target, digests, attempts, url);
    }

    private FileDigests lockAndDownload(URI url, Path target, Path part, ExpectedChecksum expected,
                                        List<DownloadAttempt> attempts) throws DownloadFailedException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            FileLock lock = lock(channel, part, url, target);
            try {
                return download(url, target, part, channel, expected, attempts);
            } catch (DownloadFailedException e) {
                deleteIfEmpty(part); // nothing to resume: leave no empty part behind (we hold its lock)
                throw e;
            } finally {
                if (lock.isValid()) {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw failed(url, target, attempts, "cannot write " + part + ": " + e);
        }
    }

    private static void deleteIfEmpty(Path part) {
        try {
            if (Files.isRegularFile(part) && Files.size(part) == 0) {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            LOG.debug("could not remove the empty {}: {}", part, e.toString());
        }
    }

    private FileDigests download(URI url, Path target, Path part, FileChannel channel, ExpectedChecksum expected,
                                 List<DownloadAttempt> attempts) throws IOException, DownloadFailedException {
        boolean restartedAfterMismatch = false;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            if (attempt > 1) {
                sleep(settings.backoffBefore(attempt), url, target, attempts);
            }
            long from = channel.size();
            try {
                transfer(url, channel, from, target.getFileName().toString());
            } catch (TransientFailure e) {
                attempts.add(new DownloadAttempt(attempt, from, e.getMessage()));
                if (e.lookup && attempt < settings.attempts()
                        && !lookupRetryCanHelp(settings.backoffAfter(attempt), negativeLookupTtl())) {
                    throw failed(url, target, attempts, "not tried again: this JVM remembers a failed name lookup "
                            + "for " + ttlText(negativeLookupTtl()) + " (networkaddress.cache.negative.ttl), and "
                            + "the remaining tries would all start within it");
                }
                LOG.warn("downloading {}: attempt {} of {} failed: {}", url, attempt, settings.attempts(),
                        e.getMessage());
                continue;
            } catch (PermanentFailure e) {
                attempts.add(new DownloadAttempt(attempt, from, e.getMessage()));
                throw failed(url, target, attempts, null);
            }
            channel.force(true);
            FileDigests digests = FileDigests.of(part);
            Optional<String> mismatch = expected.mismatch(digests);
            if (mismatch.isEmpty()) {
                attempts.add(new DownloadAttempt(attempt, from, "complete, " + digests.size() + " bytes, verified"));
                return digests;
            }
            channel.truncate(0);
            String outcome = "complete (" + digests.size() + " bytes) but its checksum is wrong: " + mismatch.get();
            if (from > 0 && !restartedAfterMismatch && attempt < settings.attempts()) {
                // the bytes kept from before may be of another file: one more try from the start
                restartedAfterMismatch = true;
                attempts.add(new DownloadAttempt(attempt, from, outcome + "; starting again from byte 0"));
                continue;
            }
            attempts.add(new DownloadAttempt(attempt, from, outcome));
            Files.deleteIfExists(part);
            throw failed(url, target, attempts, "the file was not kept");
        }
        long kept = channel.size();
        throw failed(url, target, attempts, "gave up after " + settings.attempts() + " attempts" + (kept == 0 ? ""
                : "; the " + kept + " bytes received are kept in " + part + " and a later run resumes them"));
    }

    /** One HTTP request from byte {@code from}; returns when the part holds the whole file. */
    private void transfer(URI url, FileChannel channel, long from, String name)
            throws IOException, TransientFailure, PermanentFailure {
        HttpURLConnection http;
        try {
            URLConnection c = url.toURL().openConnection();
            if (!(c instanceof HttpURLConnection h)) {
                throw new PermanentFailure(url + " is not an http(s) address");
            }
            http = h;
        } catch (IOException | IllegalArgumentException e) {
            throw new PermanentFailure("cannot open " + url + ": " + e);
        }
        http.setConnectTimeout(millis(settings.connectTimeout()));
        http.setReadTimeout(millis(settings.readTimeout()));
        http.setInstanceFollowRedirects(true);
        http.setRequestProperty("User-Agent", "img2rec");
        http.setRequestProperty("Accept-Encoding", "identity");
        if (from > 0) {
            http.setRequestProperty("Range", "bytes=" + from + "-");
        }
        try {
            int code = http.getResponseCode();
            long start;
            long total;
            if (code == HttpURLConnection.HTTP_PARTIAL && from > 0) {
                Matcher range = CONTENT_RANGE.matcher(Objects.toString(http.getHeaderField("Content-Range"), ""));
                if (!range.matches() || Long.parseLong(range.group(1)) != from) {
                    channel.truncate(0);
                    throw new TransientFailure("HTTP 206 with Content-Range '" + http.getHeaderField("Content-Range")
                            + "' for a request from byte " + from + ": starting again");
                }
                start = from;
                total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
            } else if (code == HttpURLConnection.HTTP_OK) {
                if (from > 0) {
                    LOG.info("downloading {}: the server ignored the Range request; starting again", url);
                    channel.truncate(0);
                }
                start = 0;
                total = http.getContentLengthLong();
            } else if (code == 416 && from > 0) {
                Matcher all = UNSATISFIED_RANGE.matcher(Objects.toString(http.getHeaderField("Content-Range"), ""));
                if (all.matches() && Long.parseLong(all.group(1)) == from) {
                    return; // the part is already whole (an earlier run stopped before renaming it)
                }
                channel.truncate(0);
                throw new TransientFailure("HTTP 416 (range not satisfiable) for the " + from + " bytes kept: "
                        + "starting again");
            } else {
                String status = "HTTP " + code + (http.getResponseMessage() == null ? ""
                        : " " + http.getResponseMessage());
                if (code >= 500 || code == 408 || code == 429) {
                    throw new TransientFailure(status);
                }
                throw new PermanentFailure(status);
            }
            copy(http, channel, start, total, name);
        } catch (SocketTimeoutException e) {
            throw new TransientFailure(timeout(e));
        } catch (UnknownHostException e) {
            throw new TransientFailure("unknown host " + e.getMessage() + " (offline, or no DNS?)", true);
        } catch (ConnectException e) {
            throw new TransientFailure("cannot connect: " + e.getMessage());
        } catch (IOException e) {
            if (!channel.isOpen()) {
                throw e;
            }
            throw new TransientFailure(e.toString());
        } finally {
            http.disconnect();
        }
    }

    private void copy(HttpURLConnection http, FileChannel channel, long start, long total, String name)
            throws IOException, TransientFailure, PermanentFailure {
        long position = start;
        try (InputStream in = http.getInputStream();
             DownloadProgress progress = new DownloadProgress(name, start, total, settings.consoleProgress())) {
            if (start == 0) {
                LOG.info("downloading {} ({})", http.getURL(), total < 0 ? "size not given"
                        : DownloadProgress.megabytes(total));
            } else {
                LOG.info("downloading {}: resuming at byte {}{}", http.getURL(), start,
                        total < 0 ? "" : " of " + total);
            }
            byte[] buffer = new byte[1 << 16];
            for (;;) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    throw new TransientFailure(timeout(e) + " after " + position + " bytes");
                } catch (IOException e) {
                    throw new TransientFailure("the connection broke after " + position
                            + (total < 0 ? "" : " of " + total) + " bytes (" + e.getMessage() + ")");
                }
                if (n < 0) {
                    break;
                }
                try {
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        position += channel.write(bytes, position);
                    }
                } catch (IOException e) {
                    // a full disk or a read-only folder: another try would not help
                    throw new PermanentFailure("cannot write the download: " + e);
                }
                progress.advance(n);
            }
            if (total >= 0 && position < total) {
                throw new TransientFailure("the response ended after " + position + " of " + total
                        + " bytes (truncated)");
            }
            LOG.info("downloading {}: {}", name, progress.summary());
        }
    }

    private String timeout(SocketTimeoutException e) {
        return "timed out (" + e.getMessage() + "; connect timeout " + settings.connectTimeout().toMillis()
                + " ms, read timeout " + settings.readTimeout().toMillis() + " ms)";
    }

    private FileLock lock(FileChannel channel, Path part, URI url, Path target) throws DownloadFailedException {
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException | IOException e) {
            // held in this JVM, or locks unsupported: reported below
        }
        throw failed(url, target, List.of(), "another download is writing " + part + " (another img2rec process?); "
                + "wait for it, or delete the file if no download is running");
    }

    private void sleep(Duration wait, URI url, Path target, List<DownloadAttempt> attempts)
            throws DownloadFailedException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(url, target, attempts, "interrupted while waiting to try again");
        }
    }

    private static DownloadFailedException failed(URI url, Path target, List<DownloadAttempt> attempts, String why) {
        StringBuilder s = new StringBuilder("could not download ").append(url).append(" to ").append(target);
        if (!attempts.isEmpty()) {
            s.append(" (").append(describe(attempts)).append(")");
        }
        if (why != null) {
            s.append(": ").append(why);
        }
        return new DownloadFailedException(s.toString(), url, attempts);
    }

    /** The attempts in order; a run of attempts from byte 0 with the same outcome reads "attempts 1-4: …". */
    static String describe(List<DownloadAttempt> attempts) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < attempts.size(); ) {
            DownloadAttempt a = attempts.get(i);
            int j = i + 1;
            while (a.fromByte() == 0 && j < attempts.size() && attempts.get(j).fromByte() == 0
                    && attempts.get(j).outcome().equals(a.outcome())) {
                j++;
            }
            parts.add(j - i > 1 ? "attempts " + a.number() + "-" + attempts.get(j - 1).number() + ": " + a.outcome()
                    : a.toString());
            i = j;
        }
        return String.join("; ", parts);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** A failure worth another try. */
    private static final class TransientFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean lookup; // the host name did not resolve

        TransientFailure(String message) {
            this(message, false);
        }

        TransientFailure(String message, boolean lookup) {
            super(message, null, false, false);
            this.lookup = lookup;
        }
    }

    /**
     * Whether another try can get a fresh answer after a failed name lookup: only when the tries left wait longer
     * in all than the JVM keeps the failure ({@code InetAddress} answers every lookup of the name from that cache
     * until then).
     *
     * @param remainingBackoff the waits before all the tries left, summed ({@link WeightsDownload#backoffAfter})
     * @param negativeTtl      how long a failed lookup is remembered; {@code null}: for ever
     */
    static boolean lookupRetryCanHelp(Duration remainingBackoff, Duration negativeTtl) {
        return negativeTtl != null && remainingBackoff.compareTo(negativeTtl) >= 0;
    }

    /**
     * How long this JVM remembers a failed host-name lookup: the security property
     * {@code networkaddress.cache.negative.ttl}, else the system property {@code sun.net.inetaddr.negative.ttl}
     * (the order {@code InetAddress} reads them in), else 10 s; {@code null} for a negative value (for ever).
     */
    static Duration negativeLookupTtl() {
        String value = Security.getProperty("networkaddress.cache.negative.ttl");
        if (value == null) {
            value = System.getProperty("sun.net.inetaddr.negative.ttl");
        }
        long seconds = 10;
        if (value != null) {
            try {
                seconds = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                seconds = 10; // what InetAddress falls back to
            }
        }
        return seconds < 0 ? null : Duration.ofSeconds(seconds);
    }

    private static String ttlText(Duration ttl) {
        return ttl == null ? "ever" : ttl.toSeconds() + " s";
    }

    /** A refusal that another try would not change (HTTP 404, 403, …). */
    private static final class PermanentFailure extends Exception {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message) {
            super(message, null, false, false);
        }
    }
}
