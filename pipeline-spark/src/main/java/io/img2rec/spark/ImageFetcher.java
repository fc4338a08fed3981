package io.img2rec.spark;

import io.img2rec.serve.rules.ImageErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes an image given as a path or URI readable as a local file for the {@code Recommender}: a local path (plain or
 * {@code file:}) is used where it lies; any other Hadoop file system (HDFS, S3A, ...) is copied, up to
 * {@code maxFileBytes}, into a private temporary folder on this executor, emptied by {@link #clear()} and removed by
 * {@link #close()}. A file that cannot be fetched is a {@link Fetched#failed} value, never an exception.
 */
final class ImageFetcher implements AutoCloseable {
    private static final Pattern REMOTE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private final Configuration conf;
    private final long maxFileBytes;
    private Path temp;
    private int copies;

    /** A local file to score, or why there is none. */
    record Fetched(Path file, ImageErrorCode code, String error) {
        static Fetched local(Path file) {
            return new Fetched(file, null, null);
        }

        static Fetched failed(ImageErrorCode code, String error) {
            return new Fetched(null, code, error);
        }

        boolean ok() {
            return file != null;
        }
    }

    ImageFetcher(Configuration conf, long maxFileBytes) {
        this.conf = conf;
        this.maxFileBytes = maxFileBytes;
    }

    /** Whether {@code image} names a file on a non-local Hadoop file system (it will be copied). */
    static boolean isRemote(String image) {
        return REMOTE.matcher(image).matches() && !image.startsWith("file:");
    }

    /** The local path of a local image ({@code file:} URIs decoded). */
    static Path localPath(String image) {
        if (image.startsWith("file:")) {
            return Path.of(new org.apache.hadoop.fs.Path(image).toUri().getPath());
        }
        return Path.of(image);
    }

    Fetched fetch(String image, String name) {
        if (!isRemote(image)) {
            try {
                return Fetched.local(localPath(image));
            } catch (RuntimeException e) {
                return Fetched.failed(ImageErrorCode.UNREADABLE, name + ": not a usable path '" + image + "' ("
                        + e.getMessage() + ")");
            }
        }
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(image));
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                return Fetched.failed(ImageErrorCode.UNREADABLE, name + ": " + image + " is a folder, not an image");
            }
            if (status.getLen() > maxFileBytes) {
                return Fetched.failed(ImageErrorCode.UNREADABLE, name + ": " + image + " has " + status.getLen()
                        + " bytes, more than the limit of " + maxFileBytes + " (--max-file-bytes)");
            }
            Path local = tempFolder().resolve("image-" + copies++);
            try (FSDataInputStream in = fs.open(path)) {
                Files.copy(in, local);
            }
            return Fetched.local(local);
        } catch (FileNotFoundException e) {
            return Fetched.failed(ImageErrorCode.UNREADABLE, name + ": " + image + " not found");
        } catch (IOException | RuntimeException e) {
            return Fetched.failed(ImageErrorCode.UNREADABLE, name + ": cannot read " + image + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private Path tempFolder() throws IOException {
        if (temp == null) {
            temp = Files.createTempDirectory("img2rec-images-");
        }
        return temp;
    }

    /** Deletes the copies made so far (after their chunk is scored). */
    void clear() {
        if (temp == null) {
            return;
        }
        try (Stream<Path> files = Files.list(temp)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the temporary image folder " + temp, e);
        }
    }

    @Override
    public void close() {
        if (temp == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(temp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary image folder " + temp, e);
        }
        temp = null;
    }
}
