package io.img2rec.train.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The frozen-trunk cache shard format (version {@value #FORMAT_VERSION}), its one owner: writer, reader and file
 * names. A shard holds the cache rows of whole batches {@code [fromBatch, toBatch)} of a {@link CachePlan}. Layout
 * (integers little-endian):
 *
 * <pre>
 *   8 bytes   magic "I2RCACHE"
 *   4 bytes   int32 format version
 *   8 bytes   int64 header length H
 *   H bytes   header, UTF-8 JSON: {@link Header} (format version, fingerprint, batch range, vertices with their
 *             per-item shapes, items with a row, items that failed with the reason)
 *   rows      for each vertex in header order, for each item in header order: the vertex's per-item values
 *             as float32, C order
 *   32 bytes  SHA-256 of every byte before it
 * </pre>
 *
 * Written atomically by callers (a temporary name, then a rename); {@link #readRows} verifies the length and the
 * checksum, and any corrupt, truncated or foreign file is a {@link CacheShardException} naming it.
 */
public final class CacheShards {
    public static final int FORMAT_VERSION = 1;
    /** A shard's file name ends so; other files in a shard folder (a manifest, logs) are ignored. */
    public static final String SUFFIX = ".i2rcache";
    private static final byte[] MAGIC = "I2RCACHE".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECKSUM_BYTES = 32;
    private static final Pattern NAME = Pattern.compile("shard-(\\d{6,})-(\\d{6,})" + Pattern.quote(SUFFIX));
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private CacheShards() {
    }

    /** One boundary vertex: its name and the shape of one item's activations (batch dimension left out). */
    public record Vertex(String name, long[] shape) {
        public Vertex {
            Objects.requireNonNull(name, "name");
            shape = shape.clone();
        }

        public int rowLength() {
            return (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Vertex v && v.name.equals(name) && Arrays.equals(v.shape, shape);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }
    }

    /** A cache item as a shard records it: image index in the manifest, copy number (-1: the original), content hash. */
    public record Item(int image, int copy, String sha256) {
        public CacheItem item() {
            return new CacheItem(image, copy);
        }
    }

    /** An item that could not be produced (its image could not be read or decoded), with the reason. */
    public record Failure(int image, int copy, String sha256, String reason) {
        public CacheItem item() {
            return new CacheItem(image, copy);
        }
    }

    /**
     * A shard's header.
     *
     * @param items    items with a row, in row order (plan order)
     * @param failures   items without one (plan order), with the reason
     * @param provenance what filled it (weights, library versions, time, host): informative, not checked
     */
    public record Header(int formatVersion, CacheFingerprint fingerprint, int fromBatch, int toBatch,
                         List<Vertex> vertices, List<Item> items, List<Failure> failures,
                         java.util.Map<String, String> provenance) {
        public Header {
            Objects.requireNonNull(fingerprint, "fingerprint");
            provenance = provenance == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(provenance));
            vertices = List.copyOf(vertices);
            items = List.copyOf(items);
            failures = List.copyOf(failures);
        }

        /** Bytes of rows the file holds after its header. */
        public long rowBytes() {
            return vertices.stream().mapToLong(v -> 4L * v.rowLength()).sum() * items.size();
        }
    }

    /** Gives the values of one row (for the writer). */
    @FunctionalInterface
    public interface RowSource {
        /** Copies item {@code index}'s activations at vertex {@code vertex} into {@code target}. */
        void row(int vertex, int index, float[] target);
    }

    /** Takes the values of one row (for the reader); {@code row} is reused between calls. */
    @FunctionalInterface
    public interface RowSink {
        void row(int vertex, int index, float[] row);
    }

    /** The file name of the shard of batches {@code [fromBatch, toBatch)}: a retried or re-run fill overwrites it. */
    public static String fileName(int fromBatch, int toBatch) {
        return String.format(Locale.ROOT, "shard-%06d-%06d%s", fromBatch, toBatch, SUFFIX);
    }

    /** Whether a file name is a shard's. */
    public static boolean isShard(String fileName) {
        return NAME.matcher(fileName).matches();
    }

    /** The batch range {@code [from, to)} a shard file name says, or null when it is not a shard's name. */
    public static int[] batchRange(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    /**
     * The header of the shard of batches {@code [fromBatch, toBatch)} of {@code plan}, filled into {@code cache}
     * (which holds exactly those batches' items: rows and failures).
     */
    public static Header headerOf(CacheFingerprint fingerprint, CachePlan plan, int fromBatch, int toBatch,
                                  FrozenTrunkCache cache, java.util.Map<String, String> provenance) {
        List<Item> items = new java.util.ArrayList<>();
        List<Failure> failures = new java.util.ArrayList<>();
        java.util.Map<CacheItem, String> failed = cache.failures();
        for (CacheItem item : plan.items(fromBatch, toBatch)) {
            String sha = plan.sha256().get(item.image());
            if (cache.contains(item)) {
                items.add(new Item(item.image(), item.copy(), sha));
            } else {
                failures.add(new Failure(item.image(), item.copy(), sha,
                        failed.getOrDefault(item, "not in the cache")));
            }
        }
        List<Vertex> vertices = new java.util.ArrayList<>();
        List<long[]> shapes = cache.shapes();
        for (int v = 0; v < cache.boundary().size(); v++) {
            // a shard whose every item failed has no activations, hence no shapes: zero-length rows
            vertices.add(new Vertex(cache.boundary().get(v), shapes.isEmpty() ? new long[] {0} : shapes.get(v)));
        }
        return new Header(FORMAT_VERSION, fingerprint, fromBatch, toBatch, vertices, items, failures, provenance);
    }

    /** Writes the shard {@link #headerOf} describes, its rows read from {@code cache}. */
    public static void write(OutputStream out, Header header, FrozenTrunkCache cache) throws IOException {
        List<CacheItem> items = header.items().stream().map(Item::item).toList();
        write(out, header, (vertex, index, target) -> cache.row(items.get(index), vertex, target));
    }

    /** Writes a shard to {@code out} (not closed); rows come from {@code rows} in the layout above. */
    public static void write(OutputStream out, Header header, RowSource rows) throws IOException {
        if (header.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("cannot write format version " + header.formatVersion());
        }
        MessageDigest digest = sha256();
        var buffered = new BufferedOutputStream(new NonClosing(out), 1 << 16);
        var digested = new DigestOutputStream(buffered, digest);
        byte[] json = JSON.writeValueAsBytes(header);
        ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).putInt(FORMAT_VERSION).putLong(json.length);
        digested.write(prefix.array());
        digested.write(json);
        for (int v = 0; v < header.vertices().size(); v++) {
            float[] row = new float[header.vertices().get(v).rowLength()];
            ByteBuffer bytes = ByteBuffer.allocate(row.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < header.items().size(); i++) {
                rows.row(v, i, row);
                bytes.clear();
                bytes.asFloatBuffer().put(row);
                digested.write(bytes.array());
            }
        }
        digested.flush();
        buffered.write(digest.digest());
        buffered.flush();
    }

    /**
     * Reads a shard's header and checks its magic, version and that the file has exactly the length the header
     * implies (so a truncated file is reported before any row is read). The checksum is verified by
     * {@link #readRows}.
     */
    public static Header readHeader(Path file) throws CacheShardException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CacheShardException("cache shard " + file + " does not exist");
        } catch (IOException e) {
            throw new CacheShardException("cannot read cache shard " + file + ": " + e.getMessage(), e);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Prefixed read = readPrefixAndHeader(new DataInputStream(in), file, size);
            Header header = read.header();
            long expected = MAGIC.length + 12L + read.headerLength() + header.rowBytes() + CHECKSUM_BYTES;
            if (size != expected) {
                throw new CacheShardException("cache shard " + file + " is " + (size < expected ? "truncated" : "too long")
                        + ": " + size + " bytes, its header implies " + expected + " (fill it again)");
            }
            return header;
        } catch (EOFException e) {
            throw new CacheShardException("cache shard " + file + " is truncated (" + size + " bytes): fill it again", e);
        } catch (CacheShardException e) {
            throw e;
        } catch (IOException e) {
            throw new CacheShardException("cannot read cache shard " + file + ": " + e.getMessage(), e);
        }
    }

    private record Prefixed(Header header, long headerLength) {
    }

    private static Prefixed readPrefixAndHeader(DataInputStream in, Path file, long size) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CacheShardException("cache shard " + file + " is not an img2rec cache shard (no I2RCACHE magic)");
        }
        ByteBuffer numbers = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        in.readFully(numbers.array());
        int version = numbers.getInt();
        long length = numbers.getLong();
        if (version != FORMAT_VERSION) {
            throw new CacheShardException("cache shard " + file + " has format version " + version + "; this img2rec "
                    + "reads version " + FORMAT_VERSION + " (fill the shards again with this version)");
        }
        if (length < 2 || length > Integer.MAX_VALUE) {
            throw new CacheShardException("cache shard " + file + " is corrupt: header length " + length);
        }
        if (MAGIC.length + 12L + length + CHECKSUM_BYTES > size) {
            throw new CacheShardException("cache shard " + file + " is truncated: " + size + " bytes, shorter than its "
                    + length + "-byte header (fill it again)");
        }
        byte[] json = new byte[(int) length];
        in.readFully(json);
        Header header;
        try {
            header = JSON.readValue(json, Header.class);
        } catch (JsonProcessingException e) {
            throw new CacheShardException("cache shard " + file + " is corrupt: unreadable header ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (header.formatVersion() != version) {
            throw new CacheShardException("cache shard " + file + " is corrupt: header says format version "
                    + header.formatVersion() + ", prefix " + version);
        }
        return new Prefixed(header, length);
    }

    /**
     * Reads every row of a shard into {@code sink} and verifies the file's checksum at its end; on a
     * {@link CacheShardException} the rows already given must be discarded.
     *
     * @return the header (as {@link #readHeader} reads it)
     */
    public static Header readRows(Path file, RowSink sink) throws CacheShardException {
        Header expected = readHeader(file);
        MessageDigest digest = sha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            var in = new DataInputStream(new DigestInputStream(raw, digest));
            Header header = readPrefixAndHeader(in, file, Long.MAX_VALUE).header();
            if (!header.equals(expected)) {
                throw new CacheShardException("cache shard " + file + " changed while it was read");
            }
            for (int v = 0; v < header.vertices().size(); v++) {
                float[] row = new float[header.vertices().get(v).rowLength()];
                byte[] bytes = new byte[row.length * 4];
                ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < header.items().size(); i++) {
                    in.readFully(bytes);
                    view.clear();
                    view.asFloatBuffer().get(row);
                    sink.row(v, i, row);
                }
            }
            byte[] actual = digest.digest();
            byte[] stored = new byte[CHECKSUM_BYTES];
            new DataInputStream(raw).readFully(stored);
            if (!MessageDigest.isEqual(actual, stored)) {
                throw new CacheShardException("cache shard " + file + " is corrupt: its SHA-256 checksum does not match "
                        + "its content (fill it again)");
            }
            return header;
        } catch (EOFException e) {
            throw new CacheShardException("cache shard " + file + " is truncated: fill it again", e);
        } catch (CacheShardException e) {
            throw e;
        } catch (IOException e) {
            throw new CacheShardException("cannot read cache shard " + file + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Lets the writer flush through its buffers without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
