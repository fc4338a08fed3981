package io.img2rec.train.checkpoint;

import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.train.api.Phase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResumePlanTest {
    @Test
    void withoutACheckpointTrainingStartsAtPhaseOneFromTheTemplate() {
        ResumeState state = ResumePlan.startingState(null);
        assertEquals(new ResumeState("top", 0, Double.NEGATIVE_INFINITY, 0, 0, Double.NEGATIVE_INFINITY, false), state);
        assertEquals(ResumePlan.Start.TEMPLATE, ResumePlan.start(state, false, false));
    }

    @Test
    void aPhaseStoppedAfterSomeEpochsContinuesFromLast() {
        ResumeState saved = new ResumeState("top", 1, 0.7, 1, 0, 0.7, false);
        assertSame(saved, ResumePlan.startingState(saved));
        assertEquals(Phase.TOP, ResumePlan.phaseOf(saved));
        assertEquals(ResumePlan.Start.LAST_CHECKPOINT, ResumePlan.start(saved, true, false));
        ResumeState fine = new ResumeState("fine_tune", 2, 0.8, 1, 1, 0.8, false);
        assertEquals(ResumePlan.Start.LAST_CHECKPOINT, ResumePlan.start(fine, true, true));
    }

    @Test
    void aFinishedPhaseOneResumesAsAFreshPhaseTwoKeepingTheOverallBest() {
        ResumeState saved = new ResumeState("top", 2, 0.7, 1, 1, 0.75, true);
        ResumeState state = ResumePlan.startingState(saved);
        assertEquals(new ResumeState("fine_tune", 0, Double.NEGATIVE_INFINITY, 0, 0, 0.75, false), state);
        assertEquals(ResumePlan.Start.TOP_BEST_CHECKPOINT, ResumePlan.start(state, true, false));
    }

    @Test
    void phaseTwoStartsFromTheTopBestCheckpointThenPhaseOnesNetworkThenTheTemplate() {
        ResumeState fresh = ResumePlan.fresh(Phase.FINE_TUNE, 0.5);
        assertEquals(ResumePlan.Start.TOP_BEST_CHECKPOINT, ResumePlan.start(fresh, true, true));
        assertEquals(ResumePlan.Start.TOP_IN_MEMORY, ResumePlan.start(fresh, false, true));
        assertEquals(ResumePlan.Start.TEMPLATE, ResumePlan.start(fresh, false, false));
    }

    @Test
    void anUnknownPhaseInASidecarIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ResumePlan.phaseOf(new ResumeState("warmup", 1, 0, 0, 0, 0, false)));
        assertEquals("unknown training phase 'warmup'; allowed: [top, fine_tune]", e.getMessage());
    }
}
