package io.img2rec.serve.http;

import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.testing.TimeoutServerProcess;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 7's request time limit, in a server JVM of its own ({@link TimeoutServerProcess}; the JDK reads the limit once
 * per JVM) started with a 2-second limit and two handler threads. Clients that stop in the middle of their headers
 * or body, and one that keeps sending a header byte every 200 ms (slowloris), are cut off by the server; the handler
 * threads they held are freed, so the next normal request is answered. (The JDK server reads headers on its handler
 * threads and counts the limit from the connection's start, so a request queued behind stalled clients for longer
 * than the limit is cut off too: {@code handlerThreads} is what a slow-client attack must exhaust.) Deadlines are
 * generous (30 s): they only keep a broken server from hanging the build.
 */
class HttpTimeoutsTest {
    private static final int LIMIT_SECONDS = 2;
    private static final int HANDLER_THREADS = 2;
    private static final int DEADLINE_SECONDS = 30;

    @Test
    void slowAndStalledClientsAreCutOffAndTheThreadsTheyHeldServeTheNextRequest() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + HttpTimeouts.REQUEST_PROPERTY + "=" + LIMIT_SECONDS, "-cp", System.getProperty("java.class.path"),
                TimeoutServerProcess.class.getName(), Integer.toString(HANDLER_THREADS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = readPort(child);
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < HANDLER_THREADS; i++) { // stop inside the headers: one per handler thread
                stalled.add(send(port, "POST /v1/recommend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"));
            }
            stalled.add(send(port, "POST /v1/recommend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 5000\r\n\r\n" + "x".repeat(100))); // stop inside the body
            CompletableFuture<Double> trickler = CompletableFuture.supplyAsync(() -> trickle(port));

            for (int i = 0; i < stalled.size(); i++) {
                assertClosedByServer(stalled.get(i), i < HANDLER_THREADS ? "client stopped in its headers"
                        : "client stopped in its body");
            }
            double trickledSeconds = trickler.get(DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
            assertTrue(trickledSeconds >= LIMIT_SECONDS - 0.5, "the slow client was cut off after only "
                    + trickledSeconds + " s, before the " + LIMIT_SECONDS + " s limit");

            // the handler threads the stalled clients held are free again
            byte[] image = TestImages.encode(TestImages.solid(48, 40, new Color(200, 40, 40)), "png");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/recommend?name=red.png"))
                    .timeout(Duration.ofSeconds(DEADLINE_SECONDS)).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"hat\""), answer.body());
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static int readPort(Process child) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("port ")) {
                return Integer.parseInt(line.substring("port ".length()).trim());
            }
        }
        throw new IllegalStateException("the server process ended without printing its port (exit "
                + child.exitValue() + ")");
    }

    private static Socket send(int port, String text) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The server must close the connection: end of stream or a reset, never a read that times out. */
    private static void assertClosedByServer(Socket socket, String what) throws IOException {
        try (socket) {
            socket.setSoTimeout(DEADLINE_SECONDS * 1000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[512];
            while (in.read(buffer) >= 0) {
                // a response the server may write before closing (none expected) is read past
            }
        } catch (SocketTimeoutException e) {
            fail(what + ": the connection was still open after " + DEADLINE_SECONDS + " s");
        } catch (IOException reset) {
            // closed by the server with a reset: what we want
        }
    }

    /** Sends one header byte every 200 ms until the server cuts the connection; returns how long that took, s. */
    private static double trickle(int port) {
        long start = System.nanoTime();
        try (Socket socket = send(port, "POST /v1/recommend HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")) {
            OutputStream out = socket.getOutputStream();
            socket.setSoTimeout(200);
            while ((System.nanoTime() - start) / 1e9 < DEADLINE_SECONDS) {
                out.write('a');
                out.flush();
                try {
                    if (socket.getInputStream().read() < 0) {
                        break; // closed by the server
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // keep trickling
                }
            }
        } catch (IOException cut) {
            // the server closed the connection: a write or read failed
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seconds >= DEADLINE_SECONDS) {
            throw new AssertionError("a client sending one header byte every 200 ms was never cut off ("
                    + DEADLINE_SECONDS + " s)");
        }
        return seconds;
    }
}
