package io.img2rec.examples;

import io.img2rec.train.api.BestModel;
import io.img2rec.train.api.EpochSummary;
import io.img2rec.train.api.TrainedRun;
import io.img2rec.train.api.Training;
import io.img2rec.train.api.TrainingListener;

import java.nio.file.Path;

/**
 * Trains one model per label as a config says, on a folder of labelled images, into a new run folder:
 * {@code TrainModels <config.yaml> <dataset root> <runs folder>}. Prints a line per epoch and per best model, and
 * the run folder last.
 */
public final class TrainModels {
    private TrainModels() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Path dataset = Path.of(args[1]);
        Path runs = Path.of(args[2]);
        // README: train
        TrainedRun run = Training.builder()
                .setConfigFile(config)
                .optDatasetRoot(dataset)
                .optRunsDir(runs)
                .optListener(new TrainingListener() {
                    @Override
                    public void epochFinished(EpochSummary epoch) {
                        System.out.println(epoch.key() + " " + epoch.phase().code() + " epoch " + epoch.epoch()
                                + ": validation AUC " + epoch.metrics().validationAuc());
                    }
                })
                .build()
                .train();
        for (BestModel model : run.models()) {
            System.out.println(model.name() + ": best in " + model.bestPhase().code() + " epoch " + model.bestEpoch()
                    + ", thresholds " + model.thresholds());
        }
        System.out.println(run.runFolder());
        // README: end
    }
}
