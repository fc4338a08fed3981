package io.img2rec.core.weights;

import io.img2rec.core.io.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An HDF5 file to open, read from the path given or, when that path holds a gzip stream ({@code .h5.gz}, the form
 * in which the original project keeps its ResNet50 weights), from a decompressed temporary copy beside the system's
 * temporary files, deleted on {@link #close()}. HDF5 needs random access, so the copy cannot be avoided.
 */
public final class Hdf5Input implements AutoCloseable {
    private final Path original;
    private final Path readable;
    private final boolean temporary;

    private Hdf5Input(Path original, Path readable, boolean temporary) {
        this.original = original;
        this.readable = readable;
        this.temporary = temporary;
    }

    /** Opens {@code file}: the file itself, or its decompressed copy when it starts with the gzip magic. */
    public static Hdf5Input of(Path file) throws IOException {
        if (!isGzip(file)) {
            return new Hdf5Input(file, file, false);
        }
        Path copy = AtomicFiles.createSibling(Path.of(System.getProperty("java.io.tmpdir")),
                "img2rec-" + file.getFileName() + ".", ".h5");
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 1 << 16)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (ZipException | java.io.EOFException e) {
            Files.deleteIfExists(copy);
            throw new IOException(file + " starts like a gzip file but cannot be decompressed (" + e.getMessage()
                    + "): download it again, or decompress it yourself with gunzip and pass the .h5", e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return new Hdf5Input(file, copy, true);
    }

    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
        }
    }

    /** The path to hand to HDF5. */
    public Path path() {
        return readable;
    }

    /** Whether {@link #path()} is a decompressed copy of a gzip file. */
    public boolean decompressed() {
        return temporary;
    }

    /** The file as the caller named it, with "(gzip)" when it was decompressed, for messages. */
    public String describe() {
        return temporary ? original + " (decompressed from gzip)" : original.toString();
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(readable);
        }
    }
}
