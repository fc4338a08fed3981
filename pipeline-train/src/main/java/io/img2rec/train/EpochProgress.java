package io.img2rec.train;

import io.img2rec.train.api.Stage;

import java.util.function.IntConsumer;

/** Progress within each epoch of a phase: a new {@link StageProgress} per epoch, closed when the epoch's images are done. */
final class EpochProgress implements IntConsumer {
    private final TrainingHooks hooks;
    private final Stage stage;
    private final String modelKey;
    private final String phaseCode;
    private final int imagesPerEpoch;
    private StageProgress current;
    private int epoch;

    /** @param epochsBefore epochs of the phase already done (a resumed phase counts on from there) */
    EpochProgress(TrainingHooks hooks, Stage stage, String modelKey, String phaseCode, int imagesPerEpoch,
                  int epochsBefore) {
        this.hooks = hooks;
        this.epoch = epochsBefore;
        this.stage = stage;
        this.modelKey = modelKey;
        this.phaseCode = phaseCode;
        this.imagesPerEpoch = imagesPerEpoch;
    }

    @Override
    public void accept(int n) {
        if (current == null) {
            epoch++;
            current = StageProgress.start(hooks, stage, modelKey, modelKey + " " + phaseCode + " epoch " + epoch,
                    imagesPerEpoch);
        }
        StageProgress progress = current;
        boolean lastBatch = progress.done() + n >= imagesPerEpoch;
        if (lastBatch) {
            current = null; // the next call starts the next epoch
        }
        try {
            progress.step(n);
        } catch (RuntimeException e) { // cancelled or a listener failed: the bar ends with the run
            current = null;
            progress.close();
            throw e;
        }
        if (lastBatch) {
            progress.close();
        }
    }
}
