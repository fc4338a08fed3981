package io.img2rec.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a child JVM that cannot read files its permissions deny, for tests that must see a permission denial on a
 * machine where they run as root (root reads a mode-000 file anyway through {@code CAP_DAC_OVERRIDE}). The child is
 * started through util-linux's {@code setpriv} with the two file-access-override capabilities dropped from its
 * bounding set, so the JVM it starts never holds them; it keeps root's identity, so it still reads the class path and
 * the test's own files.
 */
public final class WithoutFileAccessOverride {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final List<String> DROP = List.of(SETPRIV.toString(),
            "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all");

    private WithoutFileAccessOverride() {
    }

    /**
     * @return the command that runs {@code mainClass} with this JVM's class path and {@code args} without the
     *     override, or empty when it cannot be built here ({@code setpriv} missing)
     */
    public static Optional<List<String>> javaCommand(Class<?> mainClass, String... args) {
        if (!Files.isExecutable(SETPRIV) || !canDropCapabilities()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(DROP);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /** Whether setpriv may drop the capabilities here (a process without CAP_SETPCAP may not). */
    private static boolean canDropCapabilities() {
        List<String> probe = new ArrayList<>(DROP);
        probe.add("true");
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the command, returns its standard output lines; throws with its output if it fails. */
    public static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = child.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("child JVM " + command + " exited " + exit + ":\n" + output);
        }
        return output.lines().toList();
    }
}
