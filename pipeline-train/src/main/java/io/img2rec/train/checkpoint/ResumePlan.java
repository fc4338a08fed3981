package io.img2rec.train.checkpoint;

import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.train.api.Phase;

import java.util.Objects;

/**
 * Where one model's training starts, from its "last" checkpoint's resume state (or from nothing), and what each
 * phase starts from. Pure decisions; the caller loads the networks they name.
 */
public final class ResumePlan {
    private ResumePlan() {
    }

    /** A state before the first epoch of {@code phase}. */
    public static ResumeState fresh(Phase phase, double overallBestScore) {
        return new ResumeState(phase.code(), 0, Double.NEGATIVE_INFINITY, 0, 0, overallBestScore, false);
    }

    /**
     * @param saved the resume state of the model's "last" checkpoint; null when it has none yet
     * @return the state to continue from: fresh phase 1 without a checkpoint, fresh phase 2 after a finished
     *         phase 1, else the saved state (a phase stopped after some epochs)
     */
    public static ResumeState startingState(ResumeState saved) {
        if (saved == null) {
            return fresh(Phase.TOP, Double.NEGATIVE_INFINITY);
        }
        if (phaseOf(saved) == Phase.TOP && saved.phaseFinished()) {
            return fresh(Phase.FINE_TUNE, saved.overallBestScore());
        }
        return saved;
    }

    public static Phase phaseOf(ResumeState state) {
        return Phase.fromCode(Objects.requireNonNull(state, "state").phase());
    }

    /** Where a phase's network comes from. */
    public enum Start {
        /** The "last" checkpoint (the phase stopped after some epochs). */
        LAST_CHECKPOINT,
        /** Phase 2 only: the trainable layers of phase 1's best checkpoint copied into a fresh head. */
        TOP_BEST_CHECKPOINT,
        /** Phase 2 only: phase 1's final network, still in memory (no top-best was written). */
        TOP_IN_MEMORY,
        /** A fresh copy of the template with the phase's optimiser. */
        TEMPLATE
    }

    /**
     * @param state          the state the phase starts from
     * @param topBestWritten a {@link CheckpointSlot#TOP_BEST} checkpoint exists (phase 2 only)
     * @param topInMemory    phase 1 ran in this process (phase 2 only)
     */
    public static Start start(ResumeState state, boolean topBestWritten, boolean topInMemory) {
        if (state.epochsCompleted() > 0) {
            return Start.LAST_CHECKPOINT;
        }
        if (phaseOf(state) == Phase.FINE_TUNE) {
            if (topBestWritten) {
                return Start.TOP_BEST_CHECKPOINT;
            }
            if (topInMemory) {
                return Start.TOP_IN_MEMORY;
            }
        }
        return Start.TEMPLATE;
    }
}
