package io.img2rec.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as the kernel counts it (Linux {@code /proc/self/status}): resident now ({@code VmRSS}) and
 * its high-water mark ({@code VmHWM}), in KB; 0 where the file does not exist. Resident memory is what covers ND4J's
 * off-heap arrays and workspaces, which the JVM's heap figures do not see.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** @return resident memory now, KB */
    public static long residentKb() {
        return statusKb("VmRSS:");
    }

    /** @return the highest resident memory so far, KB */
    public static long peakResidentKb() {
        return statusKb("VmHWM:");
    }

    /** @return heap in use now (not collected first), bytes */
    public static long usedHeapBytes() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long statusKb(String key) {
        if (!Files.exists(STATUS)) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
    }
}
