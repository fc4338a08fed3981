package io.img2rec.serve.store;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the PostgreSQL store has: a server that may be unreachable, and passwords kept out of messages. */
class PostgresProfileStoreTest {
    @Test
    void anUnreachableServerFailsAtOpenNamingTheUrlButNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/profiles?user=img2rec&password=hunter2";
        long t0 = System.nanoTime();
        ProfileStoreException e = assertThrows(ProfileStoreException.class, () -> PostgresProfileStore.open(url,
                new PostgresProfileStore.PoolSettings(2, Duration.ofSeconds(2), Optional.empty())));
        assertTrue((System.nanoTime() - t0) / 1e9 < 15, "gave up within the connection timeout");
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort + "/profiles"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void urlsAreChosenByPrefixAndUnknownOnesRefused() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=***",
                PostgresProfileStore.withoutPassword("jdbc:postgresql://h/db?user=u&password=secret"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProfileStore.open("jdbc:mysql://h/db"));
        assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
    }
}
