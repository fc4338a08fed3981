package io.img2rec.bench;

import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peak memory of this JVM: the kernel's resident high-water mark ({@code VmHWM}), the heap pools' peak use, and the
 * off-heap bytes JavaCPP tracks ({@link Pointer#totalBytes()}, {@link Pointer#physicalBytes()}), sampled every
 * 50 ms by a daemon thread since JavaCPP keeps no peak of its own.
 */
final class MemoryWatch implements AutoCloseable {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakOffHeap;
    private volatile long peakPhysical;

    MemoryWatch() {
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        peakOffHeap = Math.max(peakOffHeap, Pointer.totalBytes());
        peakPhysical = Math.max(peakPhysical, Pointer.physicalBytes());
    }

    /** @return the peaks so far, in bytes, keyed as in the JSON report */
    Map<String, Object> peaks() {
        sample();
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vm_hwm_bytes", procStatusBytes("VmHWM:"));
        out.put("vm_rss_bytes", procStatusBytes("VmRSS:"));
        out.put("heap_peak_bytes", heapPeak);
        out.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
        out.put("javacpp_total_peak_bytes", peakOffHeap);
        out.put("javacpp_physical_peak_bytes", peakPhysical);
        out.put("javacpp_max_bytes", Pointer.maxBytes());
        out.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes());
        return out;
    }

    /** @return a {@code /proc/self/status} value in bytes, -1 where the file or field is missing (not Linux) */
    static long procStatusBytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // reported in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
