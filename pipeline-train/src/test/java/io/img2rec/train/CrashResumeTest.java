package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.CheckpointStore;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7: training killed with SIGKILL (a child JVM, {@link Process#destroyForcibly()}) during caching, in phase 1,
 * in phase 2 and during a checkpoint write; after each kill every sidecar's model loads (its SHA-256 verified), and
 * the run resumed with the same config ends with the same models, bit for bit, as an uninterrupted run (CPU, same
 * seed, {@code checkpoint_interval_seconds=0}). A few minutes: nine child JVMs.
 */
@Tag("slow")
class CrashResumeTest {
    @TempDir
    Path dir;

    private static final List<String> COMPARED = List.of("tiny_cnn-hat-best", "tiny_cnn-eyewear-best",
            "tiny_cnn-eyewear-last");

    @Test
    void sigkillAtFourPointsThenResumeGivesTheUninterruptedModels() throws Exception {
        Path data = TinyRuns.dataset(dir, 60, 5);
        Path reference = runChild(List.of(data.toString(), dir.resolve("runs-reference").toString()), line -> false)
                .runDir();

        record KillPoint(String name, Predicate<String> when, boolean killInWrite) {
        }
        List<KillPoint> points = List.of(
                new KillPoint("caching", l -> l.contains("frozen-layer cache at"), false),
                new KillPoint("phase-1", l -> l.startsWith("EPOCH tiny_cnn/hat top 1"), false),
                new KillPoint("phase-2", l -> l.startsWith("EPOCH tiny_cnn/eyewear fine_tune 1"), false),
                new KillPoint("checkpoint-write", l -> false, true));
        List<String> report = new ArrayList<>();
        for (KillPoint point : points) {
            Path runs = dir.resolve("runs-" + point.name());
            List<String> args = new ArrayList<>(List.of(data.toString(), runs.toString()));
            if (point.killInWrite()) {
                args.add("kill-in-write");
            }
            Child killed = runChild(args, point.when());
            assertTrue(killed.exitCode() != 0, point.name() + ": the child should have been killed, exit "
                    + killed.exitCode());
            Path runDir;
            try (Stream<Path> listing = Files.list(runs)) {
                runDir = listing.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            List<String> loadable = everySidecarLoads(runDir.resolve("checkpoints"));
            List<String> leftovers = temporaryFiles(runDir.resolve("checkpoints"));
            report.add(point.name() + ": killed after \"" + killed.lastLine() + "\"; " + loadable.size()
                    + " checkpoints, all loadable; leftover temporary files " + leftovers);

            Child resumed = runChild(List.of(data.toString(), runs.toString(), "resume", runDir.toString()),
                    line -> false);
            assertEquals(0, resumed.exitCode(), point.name() + ": resume failed: " + resumed.lastLine());
            for (String name : COMPARED) {
                ComputationGraph expected = new CheckpointStore(reference.resolve("checkpoints")).load(name, false);
                ComputationGraph actual = new CheckpointStore(runDir.resolve("checkpoints")).load(name, false);
                double diff = expected.params().sub(actual.params()).amax().getDouble(0);
                assertEquals(0.0, diff, point.name() + ": " + name + " differs from the uninterrupted run");
            }
            assertEquals(Files.readAllLines(reference.resolve("predictions.csv")),
                    Files.readAllLines(runDir.resolve("predictions.csv")), point.name() + ": predictions");
            everySidecarLoads(runDir.resolve("checkpoints"));
        }
        report.forEach(line -> System.out.println("crash-resume: " + line));
        Files.write(Path.of("target", "crash-resume.txt"), report);
    }

    /** Loads the model of every sidecar in the folder (SHA-256 checked); returns their names. */
    private static List<String> everySidecarLoads(Path checkpoints) throws Exception {
        List<String> names = new CheckpointStore(checkpoints).names();
        for (String name : names) {
            try {
                new CheckpointStore(checkpoints).load(name, false).close();
            } catch (CheckpointException e) {
                throw new AssertionError(checkpoints + ": " + name + " does not load after the kill: " + e.getMessage(), e);
            }
        }
        return names;
    }

    private static List<String> temporaryFiles(Path checkpoints) throws Exception {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    private record Child(int exitCode, String lastLine, Path runDir) {
    }

    /** Runs {@link TrainChildProcess}; SIGKILLs it when a line of its output matches {@code killWhen}. */
    private static Child runChild(List<String> args, Predicate<String> killWhen) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true", "-Dorg.eclipse.deeplearning4j.helpers.disable="
                        + System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "false"),
                "-cp", System.getProperty("java.class.path"), TrainChildProcess.class.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = "";
        String marker = "";
        Path runDir = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("EPOCH") || line.startsWith("KILLING") || line.contains("frozen-layer cache at")) {
                    marker = line.length() > 80 ? line.substring(0, 80) : line;
                }
                last = line;
                if (line.startsWith("DONE ")) {
                    runDir = Path.of(line.substring(5));
                }
                if (killWhen.test(line)) {
                    child.destroyForcibly(); // SIGKILL on Linux
                    marker = "killed at: " + marker;
                    break;
                }
            }
        }
        if (!child.waitFor(10, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        return new Child(child.waitFor(), marker.isEmpty() ? last : marker, runDir);
    }
}
