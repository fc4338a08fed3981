package io.img2rec.train.checkpoint;

import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.train.api.Phase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * When one model's checkpoints are taken and written. After each epoch it says which best models to copy and keep
 * in memory ({@link #remember}: phase 1's best as {@link CheckpointSlot#TOP_BEST}, the overall best as
 * {@link CheckpointSlot#BEST_HEAD}) and whether checkpoints are due now ({@link #due}): after every epoch when the
 * interval is 0, at the end of each phase, and otherwise once the interval has passed since the last write. When
 * due, the remembered bests are written first and {@link CheckpointSlot#LAST} after them, so a "last" checkpoint is
 * never ahead of the bests it counts as written (which is what makes a resumed run equal an uninterrupted one).
 *
 * <p>One instance per model and training run; not thread-safe.
 */
public final class CheckpointPolicy {
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Set<CheckpointSlot> remembered = EnumSet.noneOf(CheckpointSlot.class);
    private long lastWriteNanos;

    /**
     * @param intervalSeconds {@code train.checkpoint_interval_seconds}: 0 writes after every epoch
     * @param nanoClock       a monotonic clock in nanoseconds ({@code System::nanoTime}); the interval starts now
     */
    public CheckpointPolicy(int intervalSeconds, LongSupplier nanoClock) {
        if (intervalSeconds < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 seconds, got " + intervalSeconds);
        }
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.nanoClock = nanoClock;
        this.lastWriteNanos = nanoClock.getAsLong();
    }

    /**
     * Step 1 after an epoch: the best models to copy and keep until they are written.
     *
     * @param phaseBest   the epoch is the best of its phase so far
     * @param overallBest the epoch beats every earlier epoch of both phases
     * @return {@link CheckpointSlot#TOP_BEST} and/or {@link CheckpointSlot#BEST_HEAD}, in that order; often empty
     */
    public Set<CheckpointSlot> remember(Phase phase, boolean phaseBest, boolean overallBest) {
        Set<CheckpointSlot> now = EnumSet.noneOf(CheckpointSlot.class);
        if (phase == Phase.TOP && phaseBest) {
            now.add(CheckpointSlot.TOP_BEST);
        }
        if (overallBest) {
            now.add(CheckpointSlot.BEST_HEAD);
        }
        remembered.addAll(now);
        return Collections.unmodifiableSet(now);
    }

    /**
     * Step 2 after an epoch: the checkpoints to write now, in order — the remembered bests, then
     * {@link CheckpointSlot#LAST} — or nothing when they are not due yet. What it returns counts as written.
     *
     * @param phaseFinished the phase ends with this epoch (last epoch, early stop or divergence)
     */
    public List<CheckpointSlot> due(boolean phaseFinished) {
        if (intervalNanos != 0 && !phaseFinished && nanoClock.getAsLong() - lastWriteNanos < intervalNanos) {
            return List.of();
        }
        List<CheckpointSlot> write = new ArrayList<>();
        for (CheckpointSlot slot : List.of(CheckpointSlot.TOP_BEST, CheckpointSlot.BEST_HEAD)) {
            if (remembered.remove(slot)) {
                write.add(slot);
            }
        }
        write.add(CheckpointSlot.LAST);
        return List.copyOf(write);
    }

    /** Tells the policy the writes of a decision are done; the interval counts from now. */
    public void written() {
        lastWriteNanos = nanoClock.getAsLong();
    }
}
