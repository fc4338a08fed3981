package io.img2rec.train.loop;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.core.config.TrainConfig;
import io.img2rec.train.api.Phase;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.function.IntConsumer;

/**
 * Runs the epochs of one phase for one head: train, validate, tell the sink (which writes checkpoints and metric
 * rows), stop early when the checkpoint metric has not improved for {@code patience} epochs. Each epoch's
 * randomness comes from {@code Seeds.derive(seed, model, phase, epoch)}, so a phase resumed at epoch k continues
 * exactly as if it had not stopped.
 */
public final class PhaseRunner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PhaseRunner.class);
    private final HeadTrainer trainer;
    private final TrainConfig.CheckpointMetric metric;
    private final int patience;

    public PhaseRunner(HeadTrainer trainer, TrainConfig.CheckpointMetric metric, int patience) {
        this.trainer = trainer;
        this.metric = metric;
        this.patience = patience;
    }

    /** Receives every finished epoch, in order. */
    public interface EpochSink {
        /**
         * @param phaseBest   this epoch is the best of the phase so far
         * @param overallBest this epoch beats every epoch of both phases so far (the "best" checkpoint)
         * @param state       the state after this epoch (for the "last" checkpoint)
         */
        void epochDone(EpochResult result, ComputationGraph head, boolean phaseBest, boolean overallBest,
                       ResumeState state)
                throws CheckpointException;
    }

    /** Higher is better: AUC, accuracy, or minus the loss (also when AUC is undefined on validation). */
    public double score(EpochResult r) {
        return switch (metric) {
            case AUC -> Double.isNaN(r.validationAuc()) ? -r.validationLoss() : r.validationAuc();
            case ACCURACY -> r.validationAccuracy();
            case LOSS -> -r.validationLoss();
        };
    }

    /**
     * Trains from {@code state} to the end of the phase.
     *
     * @param modelKey names the model in seeds, e.g. {@code vgg16/hat}
     * @return the state at the end (phaseFinished = true)
     */
    public ResumeState run(ComputationGraph head, TrainingData data, ClassWeighting weights, long seed,
                           String modelKey, Phase phase, int epochs, ResumeState state, EpochSink sink,
                           IntConsumer progress) throws CheckpointException {
        ResumeState current = state;
        while (!current.phaseFinished() && current.epochsCompleted() < epochs) {
            int epoch = current.epochsCompleted() + 1;
            long start = System.nanoTime();
            double trainLoss = trainer.trainEpoch(head, data, weights, Seeds.derive(seed, modelKey, phase.code(), epoch),
                    progress);
            HeadTrainer.ValidationMetrics validation = trainer.validate(head, data);
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochResult result = new EpochResult(phase, epoch, trainLoss, validation.loss(), validation.auc(),
                    validation.accuracy(), seconds, data.trainImages().size() / Math.max(seconds, 1e-9));
            if (!Double.isFinite(trainLoss) || !Double.isFinite(validation.loss())) {
                LOG.warn("{} {} epoch {}: the loss is not a number any more (training diverged); the phase stops here "
                        + "and keeps its best checkpoint. Lower train.{}.learning_rate.", modelKey, phase.code(), epoch, phase.code());
                current = new ResumeState(phase.code(), epoch, current.phaseBestScore(), current.phaseBestEpoch(),
                        current.epochsSinceImprovement() + 1, current.overallBestScore(), true);
                sink.epochDone(result, head, false, false, current);
                break;
            }
            double score = score(result);
            boolean phaseBest = score > current.phaseBestScore();
            boolean overallBest = score > current.overallBestScore();
            int since = phaseBest ? 0 : current.epochsSinceImprovement() + 1;
            boolean stop = epoch >= epochs || (patience > 0 && since >= patience);
            current = new ResumeState(phase.code(), epoch, phaseBest ? score : current.phaseBestScore(),
                    phaseBest ? epoch : current.phaseBestEpoch(), since,
                    Math.max(current.overallBestScore(), score), stop);
            sink.epochDone(result, head, phaseBest, overallBest, current);
        }
        if (!current.phaseFinished()) { // zero epochs configured
            current = new ResumeState(phase.code(), current.epochsCompleted(), current.phaseBestScore(),
                    current.phaseBestEpoch(), current.epochsSinceImprovement(), current.overallBestScore(), true);
        }
        return current;
    }
}
