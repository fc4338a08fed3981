package io.img2rec.core.weights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 (a free port) for download tests: serves byte arrays at paths, honours
 * {@code Range: bytes=N-} with 206, and lets a test script how the next responses misbehave. Refuses to answer more
 * than {@link #MAX_REQUESTS} requests, and a stalled response gives up after 10 s, so no test can hang on it.
 */
final class LoopbackFileServer implements AutoCloseable {
    static final int MAX_REQUESTS = 50;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** How one response behaves. */
    sealed interface Behaviour permits Normal, IgnoreRange, Truncate, Stall, Status, Redirect {
    }

    /** The file, honouring Range. */
    record Normal() implements Behaviour {
    }

    /** The whole file with 200, whatever Range says. */
    record IgnoreRange() implements Behaviour {
    }

    /** Declares the full length but closes after {@code bytes} bytes of the body. */
    record Truncate(int bytes) implements Behaviour {
    }

    /** Sends headers and {@code bytes} bytes, then nothing until the server closes. */
    record Stall(int bytes) implements Behaviour {
    }

    /** Only a status code (404, 503…). */
    record Status(int code) implements Behaviour {
    }

    /** 302 to another path on this server (as GitHub's release links redirect to their CDN). */
    record Redirect(String path) implements Behaviour {
    }

    /** One request as the server saw it. */
    record Request(String path, String range) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Behaviour otherwise = new Normal();

    LoopbackFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** @return {@code http://127.0.0.1:<port>/} */
    URI baseUrl() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/");
    }

    LoopbackFileServer serve(String path, byte[] content) {
        files.put(path.startsWith("/") ? path : "/" + path, content.clone());
        return this;
    }

    /** The next responses behave like this, in order; after them, {@link #otherwise(Behaviour)}. */
    LoopbackFileServer then(Behaviour... behaviours) {
        script.addAll(List.of(behaviours));
        return this;
    }

    /** How every response after the scripted ones behaves (default {@link Normal}). */
    LoopbackFileServer otherwise(Behaviour behaviour) {
        this.otherwise = behaviour;
        return this;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            String range = exchange.getRequestHeaders().getFirst("Range");
            requests.add(new Request(exchange.getRequestURI().getPath(), range));
            if (requests.size() > MAX_REQUESTS) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            Behaviour behaviour = script.poll();
            behaviour = behaviour == null ? otherwise : behaviour;
            byte[] file = files.get(exchange.getRequestURI().getPath());
            if (behaviour instanceof Redirect r) {
                exchange.getResponseHeaders().add("Location", baseUrl().resolve(r.path()).toString());
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            if (behaviour instanceof Status s) {
                exchange.sendResponseHeaders(s.code(), -1);
                return;
            }
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int from = 0;
            Matcher m = RANGE.matcher(range == null ? "" : range);
            if (m.matches() && !(behaviour instanceof IgnoreRange)) {
                from = Integer.parseInt(m.group(1));
                if (from >= file.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + file.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
                exchange.sendResponseHeaders(206, file.length - from);
            } else {
                exchange.sendResponseHeaders(200, file.length);
            }
            OutputStream out = exchange.getResponseBody();
            int length = file.length - from;
            if (behaviour instanceof Truncate t) {
                out.write(file, from, Math.min(t.bytes(), length));
                out.flush();
                return; // closing with fewer bytes than declared drops the connection
            }
            if (behaviour instanceof Stall s) {
                out.write(file, from, Math.min(s.bytes(), length));
                out.flush();
                try {
                    Thread.sleep(10_000); // interrupted by close()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            out.write(file, from, length);
        } catch (IOException e) {
            // the client went away (a timeout in the test): nothing to answer
        } finally {
            try {
                exchange.close();
            } catch (RuntimeException e) {
                // a truncated body: the exchange refuses to close cleanly, the connection is dropped
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
