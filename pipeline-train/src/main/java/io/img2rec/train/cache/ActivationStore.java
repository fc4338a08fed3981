package io.img2rec.train.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-length float rows addressed by index. Rows live on the heap until the store's share of the RAM budget is
 * used, then in a spill file (positional reads and writes, so memory stays bounded whatever the dataset size).
 * Not thread-safe: one writer fills it, then readers read it.
 */
public final class ActivationStore implements AutoCloseable {
    private final int rowLength;
    private final int rowsInRam;
    private final List<float[]> ram = new ArrayList<>();
    private final Path spillFile;
    private FileChannel spill;
    private int spilledRows;

    /**
     * @param rowLength      floats per row
     * @param ramBudgetBytes bytes of rows kept on the heap
     * @param spillFile      where rows beyond the budget go (created on first use, deleted on close)
     */
    public ActivationStore(int rowLength, long ramBudgetBytes, Path spillFile) {
        if (rowLength <= 0) {
            throw new IllegalArgumentException("rowLength must be positive, got " + rowLength);
        }
        this.rowLength = rowLength;
        this.rowsInRam = (int) Math.min(Integer.MAX_VALUE, Math.max(0, ramBudgetBytes / (4L * rowLength)));
        this.spillFile = spillFile;
    }

    public int rowLength() {
        return rowLength;
    }

    public int size() {
        return ram.size() + spilledRows;
    }

    public int spilledRows() {
        return spilledRows;
    }

    /** Appends a row (copied from {@code source} at {@code offset}); returns its index. */
    public int append(float[] source, int offset) {
        int index = size();
        if (ram.size() < rowsInRam && spilledRows == 0) {
            float[] row = new float[rowLength];
            System.arraycopy(source, offset, row, 0, rowLength);
            ram.add(row);
            return index;
        }
        ByteBuffer bytes = ByteBuffer.allocate(rowLength * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(source, offset, rowLength);
        try {
            channel().write(bytes, (long) spilledRows * rowLength * 4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the activation cache spill file " + spillFile
                    + " (is the disk full?)", e);
        }
        spilledRows++;
        return index;
    }

    /** Copies row {@code index} into {@code target} at {@code offset}. */
    public void read(int index, float[] target, int offset) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("row " + index + " of " + size());
        }
        if (index < ram.size()) {
            System.arraycopy(ram.get(index), 0, target, offset, rowLength);
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(rowLength * 4).order(ByteOrder.LITTLE_ENDIAN);
        long position = (long) (index - ram.size()) * rowLength * 4;
        try {
            while (bytes.hasRemaining()) {
                if (channel().read(bytes, position + bytes.position()) < 0) {
                    throw new IOException("unexpected end of file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the activation cache spill file " + spillFile, e);
        }
        bytes.flip();
        bytes.asFloatBuffer().get(target, offset, rowLength);
    }

    private FileChannel channel() throws IOException {
        if (spill == null) {
            Files.createDirectories(spillFile.toAbsolutePath().getParent());
            spill = FileChannel.open(spillFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return spill;
    }

    @Override
    public void close() {
        ram.clear();
        try {
            if (spill != null) {
                spill.close();
                spill = null;
            }
            Files.deleteIfExists(spillFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the spill file " + spillFile, e);
        }
    }
}
