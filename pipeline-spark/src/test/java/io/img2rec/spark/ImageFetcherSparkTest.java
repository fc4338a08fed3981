package io.img2rec.spark;

import io.img2rec.serve.rules.ImageErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copy path for images on a non-local Hadoop file system, through a local file system under another scheme. */
class ImageFetcherSparkTest {
    @TempDir
    Path dir;

    /** The local file system, seen as {@code remotefs://}: what the fetcher does for HDFS or S3A, without them. */
    public static final class RemoteLookingFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("remotefs:///");
        }

        @Override
        public String getScheme() {
            return "remotefs";
        }
    }

    private static Configuration conf() {
        Configuration conf = new Configuration(false);
        conf.set("fs.remotefs.impl", RemoteLookingFileSystem.class.getName());
        conf.setBoolean("fs.remotefs.impl.disable.cache", true);
        return conf;
    }

    @Test
    void remoteImagesAreCopiedWithinTheSizeLimitAndMissingOnesAreErrorsNotExceptions() throws Exception {
        byte[] bytes = new byte[1000];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(dir.resolve("a.jpg"), bytes);
        Files.write(dir.resolve("big.jpg"), new byte[5000]);
        Files.createDirectories(dir.resolve("folder.jpg"));
        assertTrue(ImageFetcher.isRemote("remotefs://" + dir.resolve("a.jpg")));
        assertFalse(ImageFetcher.isRemote("file:" + dir.resolve("a.jpg")));
        assertEquals(dir.resolve("with space.jpg"), ImageFetcher.localPath("file:" + dir.resolve("with space.jpg")));

        Path copy;
        try (ImageFetcher fetcher = new ImageFetcher(conf(), 4096)) {
            ImageFetcher.Fetched a = fetcher.fetch("remotefs://" + dir.resolve("a.jpg"), "a.jpg");
            assertTrue(a.ok(), a.error());
            copy = a.file();
            assertFalse(copy.startsWith(dir), "a copy in the fetcher's own temporary folder");
            assertArrayEquals(bytes, Files.readAllBytes(copy));

            ImageFetcher.Fetched big = fetcher.fetch("remotefs://" + dir.resolve("big.jpg"), "big.jpg");
            assertEquals(ImageErrorCode.UNREADABLE, big.code());
            assertTrue(big.error().contains("5000 bytes, more than the limit of 4096"), big.error());
            ImageFetcher.Fetched missing = fetcher.fetch("remotefs://" + dir.resolve("missing.jpg"), "missing.jpg");
            assertEquals(ImageErrorCode.UNREADABLE, missing.code());
            assertTrue(missing.error().contains("not found"), missing.error());
            ImageFetcher.Fetched folder = fetcher.fetch("remotefs://" + dir.resolve("folder.jpg"), "folder.jpg");
            assertTrue(folder.error().contains("is a folder"), folder.error());

            fetcher.clear();
            assertFalse(Files.exists(copy), "copies go once their chunk is scored");
        }
        assertFalse(Files.exists(copy.getParent()), "the temporary folder goes when the fetcher closes");
    }
}
