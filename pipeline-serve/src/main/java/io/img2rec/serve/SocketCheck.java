package io.img2rec.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Whether {@code serve} can listen on an address and port, asked before the models are loaded, with a message that
 * names both and says how to choose another. A port free now can still be taken before the server binds; the
 * server's own bind error is worded by {@link #message} too.
 */
final class SocketCheck {
    private SocketCheck() {
    }

    /** Empty when a server socket can be bound on {@code bind}:{@code port} now (it is closed again at once). */
    static Optional<String> cannotListen(String bind, int port) {
        if (port < 0 || port > 65_535) {
            return Optional.of("--port " + port + " is not a port: use 1-65535, or 0 for any free port");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            return Optional.of("--bind " + bind + " is not a known host name or address: use an address of this "
                    + "machine, e.g. --bind 127.0.0.1 (this machine only) or --bind 0.0.0.0 (all interfaces)");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the JDK's HTTP server does: a socket in TIME_WAIT does not count as busy
            probe.bind(new InetSocketAddress(address, port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(message(bind, port, e));
        }
    }

    /** Why {@code bind}:{@code port} cannot be listened on, and what to do. */
    static String message(String bind, int port, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("in use")) {
            return "cannot listen on " + bind + ":" + port + ": port " + port + " is already in use (another "
                    + "program, or another img2rec server, holds it); choose another with --port <n>, or --port 0 "
                    + "for any free port";
        }
        if (lower.contains("assign") || lower.contains("not available") || lower.contains("unresolved")) {
            return "cannot listen on " + bind + ":" + port + ": " + bind + " is not an address of this machine ("
                    + reason + "); use --bind 127.0.0.1 (this machine only) or --bind 0.0.0.0 (all interfaces)";
        }
        if (lower.contains("permission") || lower.contains("access")) {
            return "cannot listen on " + bind + ":" + port + ": " + reason + " (ports below 1024 need privileges); "
                    + "choose another with --port <n>, e.g. --port 8080";
        }
        return "cannot listen on " + bind + ":" + port + ": " + reason + "; choose another port with --port <n> "
                + "(--port 0 for any free port) or another address with --bind";
    }
}
