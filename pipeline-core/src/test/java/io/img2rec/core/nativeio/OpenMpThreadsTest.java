package io.img2rec.core.nativeio;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenMpThreadsTest {
    @Test
    void theLimitHoldsForTheCallingThreadOnlyAndCloseRestoresIt() throws Exception {
        int before = OpenMpThreads.ofCallingThread();
        int elsewhereBefore = CompletableFuture.supplyAsync(OpenMpThreads::ofCallingThread).get();
        try (OpenMpThreads serial = OpenMpThreads.limitCallingThread(1)) {
            assertEquals(1, OpenMpThreads.ofCallingThread());
            int[] seen = new int[1];
            Thread other = new Thread(() -> seen[0] = OpenMpThreads.ofCallingThread());
            other.start();
            other.join();
            assertEquals(elsewhereBefore, seen[0], "another thread keeps its own count");
            serial.close();
            assertEquals(before, OpenMpThreads.ofCallingThread(), "restored by close");
        }
        assertEquals(before, OpenMpThreads.ofCallingThread(), "a second close changes nothing");
        assertThrows(IllegalArgumentException.class, () -> OpenMpThreads.limitCallingThread(0));
    }
}
