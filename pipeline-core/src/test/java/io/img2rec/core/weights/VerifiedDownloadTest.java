package io.img2rec.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.model.Backbone;
import io.img2rec.core.weights.LoopbackFileServer.IgnoreRange;
import io.img2rec.core.weights.LoopbackFileServer.Request;
import io.img2rec.core.weights.LoopbackFileServer.Stall;
import io.img2rec.core.weights.LoopbackFileServer.Status;
import io.img2rec.core.weights.LoopbackFileServer.Truncate;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a server on loopback that this test starts; nothing here touches the internet. */
@Timeout(30)
class VerifiedDownloadTest {
    private static final String PATH = "tiny/tiny_notop.h5";

    @TempDir
    Path dir;

    private LoopbackFileServer server;
    private byte[] h5;
    private FileDigests digests;
    private Path target;

    @BeforeEach
    void serveAGeneratedH5() throws Exception {
        Path file = dir.resolve("generated.h5");
        KerasWeightsImportTest.tinyCnnKerasWeights(3).write(file);
        h5 = Files.readAllBytes(file);
        digests = FileDigests.of(file);
        server = new LoopbackFileServer().serve(PATH, h5);
        target = dir.resolve("cache").resolve("tiny_notop.h5");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Test-sized settings: 2 s to connect, 300 ms of silence, 3 tries 10 ms apart. */
    private static WeightsDownload quick() {
        return WeightsDownload.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300))
                .withRetries(3, Duration.ofMillis(10));
    }

    private URI url() {
        return server.baseUrl().resolve(PATH);
    }

    @Test
    void downloadVerifiesRenamesAndRecordsTheSha256() throws Exception {
        VerifiedDownload.Result result = new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(digests.md5()));

        assertArrayEquals(h5, Files.readAllBytes(target));
        assertEquals(digests, result.digests());
        assertEquals(1, result.attempts().size());
        assertFalse(Files.exists(VerifiedDownload.partFile(target)), "no part left behind");
        assertEquals(digests.sha256() + "  tiny_notop.h5\n",
                Files.readString(VerifiedDownload.sha256File(target), StandardCharsets.UTF_8));
        assertEquals(List.of(new Request("/" + PATH, null)), server.requests());
    }

    @Test
    void truncatedResponseIsResumedWithARangeRequestAndVerifies() throws Exception {
        server.then(new Truncate(1000));

        VerifiedDownload.Result result = new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.sha256(digests.sha256()));

        assertArrayEquals(h5, Files.readAllBytes(target));
        assertEquals(2, result.attempts().size());
        assertTrue(result.attempts().get(0).outcome().contains("1000"), result.attempts().get(0).outcome());
        assertEquals(List.of(new Request("/" + PATH, null), new Request("/" + PATH, "bytes=1000-")),
                server.requests());
    }

    @Test
    void responsesThatAlwaysEndEarlyFailAfterTheAttemptsAndKeepThePartForLater() throws Exception {
        server.otherwise(new Truncate(100));

        DownloadFailedException e = assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(digests.md5())));

        assertEquals(3, e.attempts().size());
        assertEquals(List.of(0L, 100L, 200L), e.attempts().stream().map(DownloadAttempt::fromByte).toList());
        assertTrue(e.getMessage().contains(url().toString()) && e.getMessage().contains("gave up after 3 attempts"),
                e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(300, Files.size(VerifiedDownload.partFile(target)));
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws Exception {
        Path part = VerifiedDownload.partFile(target);
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(h5, 777));

        VerifiedDownload.Result result = new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(digests.md5()));

        assertEquals(List.of(new Request("/" + PATH, "bytes=777-")), server.requests());
        assertEquals(777, result.attempts().get(0).fromByte());
        assertEquals(digests, FileDigests.of(target));
    }

    @Test
    void serverThatIgnoresRangeIsDownloadedFromTheStart() throws Exception {
        Path part = VerifiedDownload.partFile(target);
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(h5, 500));
        server.otherwise(new IgnoreRange());

        new VerifiedDownload(quick()).fetch(url(), target, ExpectedChecksum.md5(digests.md5()));

        assertEquals("bytes=500-", server.requests().get(0).range());
        assertArrayEquals(h5, Files.readAllBytes(target));
    }

    @Test
    void stalePartOfAnotherFileIsDiscardedOnceItsChecksumFails() throws Exception {
        Path part = VerifiedDownload.partFile(target);
        Files.createDirectories(part.getParent());
        byte[] other = new byte[400];
        Arrays.fill(other, (byte) 7);
        Files.write(part, other);

        VerifiedDownload.Result result = new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(digests.md5()));

        assertEquals(Arrays.asList("bytes=400-", null), server.requests().stream().map(Request::range).toList());
        assertTrue(result.attempts().get(0).outcome().contains("starting again"), result.attempts().toString());
        assertArrayEquals(h5, Files.readAllBytes(target));
    }

    @Test
    void wrongChecksumKeepsNothingAndNamesBothSums() throws Exception {
        String wrong = "0123456789abcdef0123456789abcdef";

        DownloadFailedException e = assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(wrong)));

        assertTrue(e.getMessage().contains("md5 " + digests.md5() + " (expected " + wrong + ")"), e.getMessage());
        assertFalse(Files.exists(target), "an unverified file never reaches the cache");
        assertFalse(Files.exists(VerifiedDownload.partFile(target)));
        assertFalse(Files.exists(VerifiedDownload.sha256File(target)));
        assertEquals(1, server.requests().size(), "a complete file with the wrong sum is not fetched again");
    }

    @Test
    void wrongChecksumDoesNotReplaceAnExistingFile() throws Exception {
        Files.createDirectories(target.getParent());
        Files.writeString(target, "kept");

        assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5("0123456789abcdef0123456789abcdef")));

        assertEquals("kept", Files.readString(target));
    }

    @Test
    void redirectIsFollowedAndTheRangeGoesWithIt() throws Exception {
        // the first response (from the release path itself) ends early; the retry is redirected to the "CDN"
        server.serve("releases/tiny_notop.h5", h5).serve("cdn/tiny_notop.h5", h5)
                .then(new Truncate(600), new LoopbackFileServer.Redirect("cdn/tiny_notop.h5"));
        URI release = server.baseUrl().resolve("releases/tiny_notop.h5");

        VerifiedDownload.Result result = new VerifiedDownload(quick())
                .fetch(release, target, ExpectedChecksum.md5(digests.md5()));

        assertArrayEquals(h5, Files.readAllBytes(target));
        assertEquals(List.of(new Request("/releases/tiny_notop.h5", null),
                new Request("/releases/tiny_notop.h5", "bytes=600-"), new Request("/cdn/tiny_notop.h5", "bytes=600-")),
                server.requests());
        assertEquals(2, result.attempts().size());
    }

    @Test
    void notFoundIsNotRetriedAndSaysWhatWasTried() {
        URI missing = server.baseUrl().resolve("tiny/absent.h5");

        DownloadFailedException e = assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                .fetch(missing, target, ExpectedChecksum.md5(digests.md5())));

        assertEquals(1, server.requests().size());
        assertEquals(missing, e.url());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("HTTP 404"), e.getMessage());
        assertFalse(Files.exists(VerifiedDownload.partFile(target)), "no empty part left behind");
    }

    @Test
    void serverErrorsAreRetriedWithBackOff() throws Exception {
        server.then(new Status(503), new Status(503));

        VerifiedDownload.Result result = new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(digests.md5()));

        assertEquals(3, server.requests().size());
        assertTrue(result.attempts().get(0).outcome().startsWith("HTTP 503"), result.attempts().toString());
        assertArrayEquals(h5, Files.readAllBytes(target));
    }

    @Test
    void stalledConnectionTimesOutWithinTheReadTimeoutPerAttempt() {
        server.otherwise(new Stall(200));
        long start = System.nanoTime();

        DownloadFailedException e = assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                .fetch(url(), target, ExpectedChecksum.md5(digests.md5())));

        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "three 300 ms read timeouts took " + seconds + " s");
        assertEquals(3, e.attempts().size());
        assertTrue(e.attempts().get(0).outcome().contains("timed out") && e.attempts().get(0).outcome()
                .contains("read timeout 300 ms"), e.attempts().toString());
        assertEquals(200, e.attempts().get(1).fromByte(), "the second attempt resumes after the 200 bytes received");
    }

    @Test
    void refusedConnectionIsReportedWithEveryAttempt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI refused = URI.create("http://127.0.0.1:" + closedPort + "/" + PATH);

        DownloadFailedException e = assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                .fetch(refused, target, ExpectedChecksum.md5(digests.md5())));

        assertEquals(3, e.attempts().size());
        assertTrue(e.getMessage().contains("(attempts 1-3: cannot connect"), e.getMessage());
        assertFalse(e.getMessage().contains("kept in"), "nothing was received, nothing is kept: " + e.getMessage());
        assertFalse(Files.exists(VerifiedDownload.partFile(target)));
    }

    @Test
    void backOffDoublesAndIsCapped() {
        WeightsDownload d = WeightsDownload.defaults().withRetries(10, Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, d.backoffBefore(1));
        assertEquals(Duration.ofSeconds(1), d.backoffBefore(2));
        assertEquals(Duration.ofSeconds(2), d.backoffBefore(3));
        assertEquals(Duration.ofSeconds(4), d.backoffBefore(4));
        assertEquals(WeightsDownload.MAX_BACKOFF, d.backoffBefore(10));
    }

    /**
     * A failed name lookup is remembered by the JVM (10 s by the JDK's java.security), so a retry is useful only when
     * the tries left start after that: with the default four tries (7 s of back-off) an offline machine gives up
     * after the first, with ten tries (151 s) it goes on.
     */
    @Test
    void aHostThatDoesNotResolveIsRetriedOnlyWhenALaterTryOutlivesTheCachedFailure() {
        WeightsDownload four = WeightsDownload.defaults();
        assertEquals(4, four.attempts());
        assertEquals(Duration.ofSeconds(7), four.backoffAfter(1));
        assertEquals(Duration.ofSeconds(6), four.backoffAfter(2));
        assertEquals(Duration.ZERO, four.backoffAfter(4));
        Duration ttl = VerifiedDownload.negativeLookupTtl();
        assertEquals(Duration.ofSeconds(10), ttl, "the JDK's networkaddress.cache.negative.ttl");
        assertFalse(VerifiedDownload.lookupRetryCanHelp(four.backoffAfter(1), ttl));
        WeightsDownload ten = WeightsDownload.defaults().withRetries(10, Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(151), ten.backoffAfter(1));
        assertTrue(VerifiedDownload.lookupRetryCanHelp(ten.backoffAfter(1), ttl));
        assertTrue(VerifiedDownload.lookupRetryCanHelp(ten.backoffAfter(9), ttl), "one try left, 30 s away");
        WeightsDownload three = WeightsDownload.defaults().withRetries(3, Duration.ofSeconds(4));
        assertEquals(Duration.ofSeconds(12), three.backoffAfter(1));
        assertTrue(VerifiedDownload.lookupRetryCanHelp(three.backoffAfter(1), ttl), "the third try starts at 12 s");
        assertFalse(VerifiedDownload.lookupRetryCanHelp(three.backoffAfter(2), ttl), "8 s left");
        assertFalse(VerifiedDownload.lookupRetryCanHelp(Duration.ofHours(1), null), "remembered for ever");
        assertTrue(VerifiedDownload.lookupRetryCanHelp(Duration.ZERO, Duration.ZERO), "not remembered at all");
    }

    @Test
    void settingsComeFromSystemPropertiesAndBadValuesAreNamed() {
        Map<String, String> props = Map.of(WeightsDownload.BASE_URL_PROPERTY, "https://mirror.example/keras",
                WeightsDownload.READ_TIMEOUT_PROPERTY, "5",
                WeightsDownload.SHA256_PROPERTY_PREFIX + "vgg16", digests.sha256().toUpperCase());
        props.forEach(System::setProperty);
        try {
            WeightsDownload d = WeightsDownload.fromSystemProperties();
            assertTrue(d.enabled());
            assertEquals(URI.create("https://mirror.example/keras/"), d.mirror());
            assertEquals(Duration.ofSeconds(5), d.readTimeout());
            assertEquals(digests.sha256(), d.sha256Of(Backbone.VGG16).orElseThrow());
            assertEquals(URI.create("https://mirror.example/keras/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
                    ImageNetWeightFiles.of(Backbone.VGG16).orElseThrow().kerasUrl(d.mirror()));
            System.setProperty(WeightsDownload.ATTEMPTS_PROPERTY, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    WeightsDownload::fromSystemProperties);
            assertTrue(e.getMessage().contains("-Dimg2rec.weights.attempts=many"), e.getMessage());
        } finally {
            props.keySet().forEach(System::clearProperty);
            System.clearProperty(WeightsDownload.ATTEMPTS_PROPERTY);
        }
        assertNull(System.getProperty(WeightsDownload.BASE_URL_PROPERTY));
        assertNull(WeightsDownload.fromSystemProperties().mirror(), "no mirror: the official addresses");
    }

    @Test
    void officialAddressesAndPublishedMd5s() {
        ImageNetWeightFiles vgg = ImageNetWeightFiles.of(Backbone.VGG16).orElseThrow();
        ImageNetWeightFiles resnet = ImageNetWeightFiles.of(Backbone.RESNET50).orElseThrow();
        assertEquals(URI.create("https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
                + "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), vgg.kerasUrl(null));
        assertEquals("6d6bbae143d832006294945121d1f1fc", vgg.kerasMd5());
        // Keras 2.2's ResNet50 file (our layer names and epsilon), not tf.keras' file of the same name
        assertEquals(URI.create("https://github.com/fchollet/deep-learning-models/releases/download/v0.2/"
                + "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"), resnet.kerasUrl(null));
        assertEquals("a268eb855778b3df3c7506639542a6af", resnet.kerasMd5());
        assertTrue(resnet.kerasLookalikes().get("4d473c1dd8becc155b73f8504c6f6626").contains("tf.keras"));
    }

    @Test
    void partThatIsAlreadyWholeIsVerifiedWithoutDownloadingAgain() throws Exception {
        Path part = VerifiedDownload.partFile(target);
        Files.createDirectories(part.getParent());
        Files.write(part, h5);

        new VerifiedDownload(quick()).fetch(url(), target, ExpectedChecksum.md5(digests.md5()));

        assertEquals("bytes=" + h5.length + "-", server.requests().get(0).range(), "answered 416 by the server");
        assertEquals(1, server.requests().size());
        assertEquals(digests, FileDigests.of(target));
    }

    @Test
    void progressLineGivesBytesRateAndEta() {
        try (DownloadProgress progress = new DownloadProgress("w.h5", 1_000_000, 10_000_000, false)) {
            progress.advance(3_000_000);
            assertEquals("4.0 MB of 10.0 MB (40%), 1.5 MB/s, ETA 4 s",
                    progress.line(progress.startNanos() + 2_000_000_000L));
        }
        try (DownloadProgress unknownSize = new DownloadProgress("w.h5", 0, -1, false)) {
            unknownSize.advance(500_000);
            assertEquals("0.5 MB, 0.5 MB/s", unknownSize.line(unknownSize.startNanos() + 1_000_000_000L));
        }
    }

    @Test
    void downloadClassesUseNoDl4jOrNd4jType() throws Exception {
        Path sources = Path.of("src/main/java/io/img2rec/core/weights");
        for (String name : List.of("VerifiedDownload", "WeightsDownload", "ExpectedChecksum", "FileDigests",
                "DownloadProgress", "DownloadAttempt", "DownloadFailedException")) {
            String source = Files.readString(sources.resolve(name + ".java"));
            assertFalse(source.contains("org.deeplearning4j") || source.contains("org.nd4j")
                    || source.contains("org.bytedeco"), name + " must stay free of DL4J types");
        }
    }

    @Test
    void secondDownloadIntoTheSameFileIsRefusedWhileTheFirstRuns() throws Exception {
        server.then(new Stall(100));
        WeightsDownload slow = WeightsDownload.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(1, Duration.ZERO);
        java.util.concurrent.ExecutorService first = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<?> running = first.submit(() ->
                    new VerifiedDownload(slow).fetch(url(), target, ExpectedChecksum.md5(digests.md5())));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, server.requests().size(), "the first download is under way");

            DownloadFailedException e = assertThrows(DownloadFailedException.class, () -> new VerifiedDownload(quick())
                    .fetch(url(), target, ExpectedChecksum.md5(digests.md5())));

            assertTrue(e.getMessage().contains("another download is writing"), e.getMessage());
            assertEquals(1, server.requests().size(), "the second one asked the server nothing");
            java.util.concurrent.ExecutionException done = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> running.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(done.getCause() instanceof DownloadFailedException, done.toString());
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void consoleProgressBarDownloadCompletes() throws Exception {
        new VerifiedDownload(quick().withConsoleProgress(true)).fetch(url(), target,
                ExpectedChecksum.md5(digests.md5()));
        assertEquals(digests, FileDigests.of(target));
    }
}
