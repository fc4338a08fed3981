package io.img2rec.train.checkpoint;

import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.train.api.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.img2rec.core.run.CheckpointSlot.BEST_HEAD;
import static io.img2rec.core.run.CheckpointSlot.LAST;
import static io.img2rec.core.run.CheckpointSlot.TOP_BEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CheckpointPolicyTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void phaseOneBestIsRememberedAsTopBestAndTheOverallBestAsBestHead() {
        var policy = new CheckpointPolicy(0, () -> 0L);
        assertEquals(List.of(TOP_BEST, BEST_HEAD), List.copyOf(policy.remember(Phase.TOP, true, true)));
        assertEquals(Set.of(TOP_BEST), policy.remember(Phase.TOP, true, false));
        assertEquals(Set.of(), policy.remember(Phase.TOP, false, false));
    }

    @Test
    void phaseTwoNeverTakesATopBest() {
        var policy = new CheckpointPolicy(0, () -> 0L);
        assertEquals(Set.of(BEST_HEAD), policy.remember(Phase.FINE_TUNE, true, true));
        assertEquals(Set.of(), policy.remember(Phase.FINE_TUNE, true, false));
    }

    @Test
    void intervalZeroWritesTheNewBestsThenLastAfterEveryEpoch() {
        var policy = new CheckpointPolicy(0, () -> 0L);
        policy.remember(Phase.TOP, true, true);
        assertEquals(List.of(TOP_BEST, BEST_HEAD, LAST), policy.due(false));
        policy.written();
        policy.remember(Phase.TOP, false, false);
        assertEquals(List.of(LAST), policy.due(false), "no new best: only last");
    }

    @Test
    void withAnIntervalBestsWaitInMemoryUntilTheIntervalPassesAndAreWrittenOnce() {
        AtomicLong clock = new AtomicLong();
        var policy = new CheckpointPolicy(60, clock::get);
        clock.set(10 * SECOND);
        policy.remember(Phase.FINE_TUNE, true, true);
        assertEquals(List.of(), policy.due(false), "10 s of 60: nothing written yet");
        clock.set(30 * SECOND);
        policy.remember(Phase.FINE_TUNE, false, false);
        assertEquals(List.of(), policy.due(false));
        clock.set(60 * SECOND);
        policy.remember(Phase.FINE_TUNE, false, false);
        assertEquals(List.of(BEST_HEAD, LAST), policy.due(false), "the best found at 10 s goes first");
        policy.written();
        clock.set(61 * SECOND);
        assertEquals(List.of(), policy.due(false), "the interval counts from the write");
    }

    @Test
    void theEndOfAPhaseWritesWhateverTheInterval() {
        AtomicLong clock = new AtomicLong();
        var policy = new CheckpointPolicy(3600, clock::get);
        policy.remember(Phase.TOP, true, false);
        assertEquals(List.of(TOP_BEST, LAST), policy.due(true));
    }

    @Test
    void aNegativeIntervalIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(-1, () -> 0L));
        assertEquals("checkpoint interval must be >= 0 seconds, got -1", e.getMessage());
    }

    @Test
    void slotsKeepTheNamesKindsAndContentsWrittenToSidecars() {
        var names = new CheckpointNames("vgg16", "hat");
        assertEquals("vgg16-hat-top-best", names.name(TOP_BEST));
        assertEquals("vgg16-hat-best-head", names.name(BEST_HEAD));
        assertEquals("vgg16-hat-best", names.name(CheckpointSlot.BEST));
        assertEquals("vgg16-hat-last", names.name(LAST));
        assertEquals("vgg16/hat", names.key());
        assertEquals(List.of("top-best/head", "best/head", "best/full", "last/head"),
                List.of(CheckpointSlot.values()).stream()
                        .map(s -> s.kind().code() + "/" + s.contents().code()).toList());
        assertEquals(List.of(LAST), List.of(CheckpointSlot.values()).stream().filter(CheckpointSlot::withUpdater).toList());
    }
}
