package io.img2rec.train.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of cache shards ({@link CacheShards}) as a run reads it: every shard's header, checked against the run's
 * {@link CacheFingerprint} and {@link CachePlan} before any row is read (same fingerprint; the shards' batch ranges
 * cover the plan once; each shard holds exactly its batches' items, as rows or failures, with the same image
 * hashes). {@link FrozenTrunkCache#fromShards} then reads the rows and verifies each file's checksum.
 */
public final class CacheShardFolder {
    private final Path folder;
    private final List<Path> files;
    private final List<CacheShards.Header> headers;

    private CacheShardFolder(Path folder, List<Path> files, List<CacheShards.Header> headers) {
        this.folder = folder;
        this.files = List.copyOf(files);
        this.headers = List.copyOf(headers);
    }

    /** Lists {@code folder}'s shards (by batch range) and reads their headers. */
    public static CacheShardFolder open(Path folder) throws CacheShardException {
        if (!Files.isDirectory(folder)) {
            throw new CacheShardException("the cache shard folder " + folder + " (cache.shards) does not exist or is "
                    + "not a folder: fill it with the Spark cache fill (docs/SPARK.md) or set cache.shards: none");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> CacheShards.isShard(p.getFileName().toString()))
                    .sorted(Comparator.comparingInt(p -> CacheShards.batchRange(p.getFileName().toString())[0]))
                    .toList();
        } catch (IOException e) {
            throw new CacheShardException("cannot list the cache shard folder " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new CacheShardException("the cache shard folder " + folder + " (cache.shards) holds no shard (files "
                    + "named shard-<from>-<to>" + CacheShards.SUFFIX + ")");
        }
        List<CacheShards.Header> headers = new ArrayList<>();
        for (Path file : files) {
            CacheShards.Header header = CacheShards.readHeader(file);
            int[] named = CacheShards.batchRange(file.getFileName().toString());
            if (named[0] != header.fromBatch() || named[1] != header.toBatch()) {
                throw new CacheShardException("cache shard " + file + " holds batches [" + header.fromBatch() + ", "
                        + header.toBatch() + ") but is named for [" + named[0] + ", " + named[1] + ")");
            }
            headers.add(header);
        }
        return new CacheShardFolder(folder, files, headers);
    }

    public Path folder() {
        return folder;
    }

    public List<Path> files() {
        return files;
    }

    public List<CacheShards.Header> headers() {
        return headers;
    }

    /**
     * Checks that these shards are the cache a run with {@code expected} would compute for {@code plan}.
     *
     * @throws CacheShardException naming the folder, the file and each mismatching field (and its config key)
     */
    public CacheShardFolder verify(CacheFingerprint expected, CachePlan plan) throws CacheShardException {
        for (int s = 0; s < files.size(); s++) {
            List<String> differences = headers.get(s).fingerprint().differencesFrom(expected);
            if (!differences.isEmpty()) {
                throw new CacheShardException("the cache shards in " + folder + " (cache.shards) were filled for another "
                        + "run than this one (" + files.get(s).getFileName() + "):\n  - "
                        + String.join("\n  - ", differences)
                        + "\nfill them again with this config and dataset, or set cache.shards: none");
            }
        }
        int next = 0;
        for (int s = 0; s < files.size(); s++) {
            CacheShards.Header header = headers.get(s);
            if (header.fromBatch() != next) {
                throw new CacheShardException("the cache shards in " + folder + " do not cover the plan: "
                        + (header.fromBatch() > next ? "batches [" + next + ", " + header.fromBatch() + ") are missing"
                        : files.get(s).getFileName() + " overlaps the shard before it")
                        + " (" + plan.batchCount() + " batches of " + plan.batchSize() + "); fill the folder again");
            }
            next = header.toBatch();
            checkItems(files.get(s), header, plan);
        }
        if (next != plan.batchCount()) {
            throw new CacheShardException("the cache shards in " + folder + " do not cover the plan: batches [" + next
                    + ", " + plan.batchCount() + ") are missing; fill the folder again");
        }
        return this;
    }

    private static void checkItems(Path file, CacheShards.Header header, CachePlan plan) throws CacheShardException {
        List<CacheItem> wanted = plan.items(header.fromBatch(), header.toBatch());
        var rows = header.items().iterator();
        var failures = header.failures().iterator();
        CacheShards.Item row = rows.hasNext() ? rows.next() : null;
        CacheShards.Failure failure = failures.hasNext() ? failures.next() : null;
        for (CacheItem item : wanted) {
            String sha = plan.sha256().get(item.image());
            String got;
            if (row != null && row.item().equals(item)) {
                got = row.sha256();
                row = rows.hasNext() ? rows.next() : null;
            } else if (failure != null && failure.item().equals(item)) {
                got = failure.sha256();
                failure = failures.hasNext() ? failures.next() : null;
            } else {
                throw new CacheShardException("cache shard " + file + " lacks image " + item.image() + " copy "
                        + item.copy() + " of its batches: fill it again");
            }
            if (!sha.equals(got)) {
                throw new CacheShardException("cache shard " + file + " holds image " + item.image() + " with sha256 "
                        + got + ", this run's manifest has " + sha + ": fill it again");
            }
        }
        if (row != null || failure != null) {
            throw new CacheShardException("cache shard " + file + " holds items outside its batches: fill it again");
        }
    }
}
