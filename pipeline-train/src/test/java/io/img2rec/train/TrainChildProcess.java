package io.img2rec.train;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.run.RunLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run that {@link CrashResumeTest} kills: {@code <dataset> <runsDir> [resume <runDir>] [kill-in-write]}.
 * Prints {@code EPOCH <model> <phase> <epoch>} after every epoch's checkpoints and {@code DONE <runDir>} at the end.
 * With {@code kill-in-write} it sends itself SIGKILL as soon as a checkpoint's temporary zip appears.
 */
public final class TrainChildProcess {
    static final Map<String, String> SMALL = Map.of("labels", "hat,eyewear", "train.top.epochs", "2",
            "train.fine_tune.epochs", "3");

    private TrainChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        NativeSetup.configure();
        Path dataset = Path.of(args[0]);
        Path runs = Path.of(args[1]);
        boolean resume = args.length > 3 && args[2].equals("resume");
        boolean killInWrite = args[args.length - 1].equals("kill-in-write");
        PipelineConfig config = TinyRuns.config(dataset, runs, SMALL);
        if (killInWrite) {
            Thread watcher = new Thread(() -> killOnTemporaryZip(runs), "kill-in-write");
            watcher.setDaemon(true);
            watcher.start();
        }
        TrainingJob job = TinyRuns.job(config, runs.getParent(), TinyRuns.afterEpoch((model, phase, epoch) -> {
            System.out.println("EPOCH " + model + " " + phase + " " + epoch);
            System.out.flush();
        }));
        TrainingJob.Result result = resume ? job.resume(RunLayout.open(Path.of(args[3]))) : job.runNew();
        System.out.println("DONE " + result.run().root());
        System.out.flush();
        System.exit(0);
    }

    /** Polls every run's checkpoints folder; on the first {@code .zip.tmp} (a write under way) kills this JVM. */
    private static void killOnTemporaryZip(Path runs) {
        try {
            while (true) {
                if (Files.isDirectory(runs)) {
                    try (Stream<Path> all = Files.walk(runs, 3)) {
                        if (all.anyMatch(p -> p.getFileName().toString().endsWith(".zip.tmp"))) {
                            System.out.println("KILLING in checkpoint write");
                            System.out.flush();
                            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
                                    .inheritIO().start().waitFor();
                        }
                    } catch (java.io.UncheckedIOException | java.io.IOException e) {
                        // a file vanished while listing: look again
                    }
                }
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
