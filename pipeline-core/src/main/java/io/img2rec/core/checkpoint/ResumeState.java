package io.img2rec.core.checkpoint;

/**
 * Where one label's training stood when a "last" checkpoint was written; enough to continue exactly there.
 *
 * @param phase                  the phase the checkpoint's network belongs to ({@code top} or {@code fine_tune})
 * @param epochsCompleted        epochs of that phase finished
 * @param phaseBestScore         best checkpoint-metric score seen in this phase (higher is better)
 * @param phaseBestEpoch         its epoch (0 = none yet)
 * @param epochsSinceImprovement for early stopping
 * @param overallBestScore       best score over both phases (what the "best" checkpoint holds)
 * @param phaseFinished          true when the phase ended (all epochs or early stopping)
 */
public record ResumeState(String phase, int epochsCompleted, double phaseBestScore, int phaseBestEpoch,
                          int epochsSinceImprovement, double overallBestScore, boolean phaseFinished) {
}
