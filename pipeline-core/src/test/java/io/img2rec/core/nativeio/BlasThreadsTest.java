package io.img2rec.core.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** OpenBLAS's process-wide thread count, limited for counted scopes opened and closed on any threads. */
class BlasThreadsTest {

    @Test
    void theLastScopeClosedRestoresTheCountFromBeforeTheFirst() throws Exception {
        int before = BlasThreads.current();
        Nd4j.factory().blas().setMaxThreads(2); // a count to restore that differs from the limit, on any host
        BlasThreads first = BlasThreads.limitProcess(1);
        assertEquals(1, BlasThreads.current());
        // another thread's scope, closed after the first one: the limit holds until it closes too
        BlasThreads second = CompletableFuture.supplyAsync(() -> BlasThreads.limitProcess(1)).get();
        first.close();
        first.close(); // idempotent: does not count twice
        assertEquals(1, BlasThreads.current());
        CompletableFuture.runAsync(second::close).get();
        assertEquals(2, BlasThreads.current());
        Nd4j.factory().blas().setMaxThreads(before);
    }

    @Test
    void rejectsNoThreads() {
        assertThrows(IllegalArgumentException.class, () -> BlasThreads.limitProcess(0));
    }
}
