package io.img2rec.train;

import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.run.RunLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeTest {
    @TempDir
    Path dir;

    /** Stands in for a crash: thrown from the after-epoch hook once the chosen epoch is checkpointed. */
    private static final class Interrupted extends RuntimeException {
    }

    @Test
    void runInterruptedInEitherPhaseResumesToTheSameModelsAsAnUninterruptedRun() throws Exception {
        Path data = TinyRuns.dataset(dir, 60, 5);
        Map<String, String> small = Map.of("labels", "hat,eyewear", "train.top.epochs", "2", "train.fine_tune.epochs", "3");
        PipelineConfig config = TinyRuns.config(data, dir.resolve("runs"), small);

        TrainingJob.Result straight = TinyRuns.job(config, dir).runNew();

        for (String[] stop : List.of(new String[] {"tiny_cnn/hat", "top", "1"},
                new String[] {"tiny_cnn/eyewear", "fine_tune", "2"})) {
            PipelineConfig again = TinyRuns.config(data, dir.resolve("runs-" + stop[1]), small);
            var interrupted = TinyRuns.job(again, dir, TinyRuns.afterEpoch((model, phase, epoch) -> {
                if (model.equals(stop[0]) && phase.equals(stop[1]) && epoch == Integer.parseInt(stop[2])) {
                    throw new Interrupted();
                }
            }));
            assertThrows(Interrupted.class, interrupted::runNew);
            Path runDir;
            try (var runs = Files.list(dir.resolve("runs-" + stop[1]))) {
                runDir = runs.findFirst().orElseThrow();
            }
            TrainingJob.Result resumed = TinyRuns.job(again, dir).resume(RunLayout.open(runDir));

            for (String name : List.of("tiny_cnn-hat-best", "tiny_cnn-eyewear-best", "tiny_cnn-eyewear-last")) {
                ComputationGraph expected = new CheckpointStore(straight.run().checkpoints()).load(name, false);
                ComputationGraph actual = new CheckpointStore(resumed.run().checkpoints()).load(name, false);
                double diff = expected.params().sub(actual.params()).amax().getDouble(0);
                assertTrue(diff == 0.0, name + " after a stop at " + String.join("/", stop) + " differs by " + diff);
            }
            assertEquals(Files.readAllLines(straight.run().predictions()), Files.readAllLines(resumed.run().predictions()));
            assertEquals(1 + 2 * (2 + 3), Files.readAllLines(resumed.run().epochMetrics()).size(),
                    "each epoch logged once");
        }
    }
}
