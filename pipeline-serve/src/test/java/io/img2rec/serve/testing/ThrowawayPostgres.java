package io.img2rec.serve.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throw-away PostgreSQL server for the tests: {@code initdb} into a temporary folder, started with
 * {@code pg_ctl} on a free loopback port, stopped and deleted when the test run ends. Tests get it as a parameter
 * through {@code @ExtendWith(ThrowawayPostgres.Extension.class)}; it starts on the first {@link #newDatabase()}, so a
 * test that only needs SQLite never waits for it. Each call gives a fresh, empty database.
 *
 * <p>The binaries: {@code -Dimg2rec.pg.bin=…} or {@code $IMG2REC_PG_BIN}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian's packages), else {@code initdb} on the PATH. PostgreSQL refuses
 * to run as root, so as root (CI) every server command runs as the {@code postgres} user through {@code runuser}.
 * When no binaries are found the tests fail and say how to install them: they never skip.
 */
public final class ThrowawayPostgres implements AutoCloseable {
    /** The superuser initdb creates; loopback connections are trusted (the server lives for one test run). */
    public static final String USER = "img2rec";

    private final AtomicInteger databases = new AtomicInteger();
    private Path bin;
    private Path folder;
    private Path data;
    private int port;
    private boolean asPostgresUser;
    private boolean started;

    /** JUnit glue: one server per test run (the root context), closed when the run ends. */
    public static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
                ThrowawayPostgres.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ThrowawayPostgres.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("server", k -> new Resource(),
                    Resource.class).server;
        }

        private static final class Resource implements ExtensionContext.Store.CloseableResource {
            final ThrowawayPostgres server = new ThrowawayPostgres();

            @Override
            public void close() {
                server.close();
            }
        }
    }

    /** A new empty database on the (started if needed) server; its JDBC URL, with the user. */
    public synchronized String newDatabase() {
        start();
        String name = "img2rec_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on the test PostgreSQL at port "
                    + port + ": " + e.getMessage() + "\n" + logTail(), e);
        }
        return url(name);
    }

    /** The JDBC URL of {@code database} on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    private void start() {
        if (started) {
            return;
        }
        bin = findBinaries();
        try {
            asPostgresUser = "0".equals(run(List.of("id", "-u"), 10).strip());
            folder = Files.createTempDirectory("img2rec-pg-");
            if (asPostgresUser) {
                UserPrincipal postgres;
                try {
                    postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                } catch (IOException e) {
                    throw new IllegalStateException("running as root, the test PostgreSQL must run as user 'postgres', "
                            + "which does not exist: install Debian's postgresql package (apt-get install -y "
                            + "postgresql), which creates it", e);
                }
                Files.setOwner(folder, postgres);
            }
            data = folder.resolve("data");
            run(server(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E",
                    "UTF8", "--locale=C", "--no-sync"), 120);
            for (int attempt = 1; ; attempt++) {
                port = freePort();
                Files.writeString(data.resolve("postgresql.conf"), String.join("\n", "",
                        "# img2rec tests: loopback only, the socket in the test folder",
                        "listen_addresses = '127.0.0.1'", "port = " + port,
                        "unix_socket_directories = '" + folder + "'", "max_connections = 100",
                        "shared_buffers = 64MB", "log_min_messages = warning", ""),
                        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                try {
                    run(server(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                            folder.resolve("server.log").toString(), "-w", "-t", "60", "start"), 90);
                    break;
                } catch (IllegalStateException e) {
                    if (attempt == 3) { // another process took the port between the probe and the start, thrice
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test PostgreSQL from " + bin + ": " + e.getMessage(), e);
        }
        started = true;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "img2rec-test-postgres-stop"));
    }

    /** Stops the server (fast shutdown: clients are disconnected) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (!started) {
            return;
        }
        started = false;
        try {
            run(server(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60",
                    "stop"), 90);
        } catch (IOException | RuntimeException e) {
            System.err.println("test PostgreSQL in " + folder + " did not stop: " + e.getMessage());
            return; // keep the folder: its log says why
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("test PostgreSQL folder " + folder + " not deleted: " + e.getMessage());
        }
    }

    private static Path findBinaries() {
        String configured = System.getProperty("img2rec.pg.bin", System.getenv("IMG2REC_PG_BIN"));
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (Stream<Path> versions = Files.list(debian)) {
                    versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                            .sorted(Comparator.comparingDouble((Path v) ->
                                    Double.parseDouble(v.getFileName().toString())).reversed())
                            .forEach(v -> candidates.add(v.resolve("bin")));
                } catch (IOException ignored) {
                    // fall through to the PATH
                }
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir));
                }
            }
        }
        Optional<Path> found = candidates.stream().filter(d -> Files.isExecutable(d.resolve("initdb"))
                && Files.isExecutable(d.resolve("pg_ctl"))).findFirst();
        return found.orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) not "
                + "found " + (configured != null && !configured.isBlank() ? "in " + configured
                : "under /usr/lib/postgresql/*/bin or on the PATH") + ". The PostgreSQL profile store tests run "
                + "against a real server and do not skip: install it (Debian/Ubuntu: apt-get install -y postgresql, "
                + "as .ci/run does), or point -Dimg2rec.pg.bin / $IMG2REC_PG_BIN at its bin folder"));
    }

    private List<String> server(String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private String run(List<String> command, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            // the daemon started by pg_ctl inherits no pipe of ours (-l sends its output to the log)
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                    + output + logTail());
        }
        return output;
    }

    private String logTail() {
        if (folder == null || !Files.exists(folder.resolve("server.log"))) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(folder.resolve("server.log"), StandardCharsets.UTF_8);
            return "server log (last lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20),
                    lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
