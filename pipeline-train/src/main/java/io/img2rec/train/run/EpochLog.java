package io.img2rec.train.run;

import io.img2rec.core.run.EpochMetricsCsv;
import io.img2rec.core.run.EpochRecord;
import io.img2rec.core.run.RunFormatException;
import io.img2rec.train.loop.EpochResult;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The trainer's epoch log: turns each {@link EpochResult} into a row of {@code metrics-epochs.csv}, written by
 * {@link EpochMetricsCsv} (which owns the columns and rewrites the file atomically after each epoch).
 */
public final class EpochLog {
    private final EpochMetricsCsv.Log log;

    private EpochLog(EpochMetricsCsv.Log log) {
        this.log = log;
    }

    /** Opens the log, keeping the rows an earlier (interrupted) run wrote. */
    public static EpochLog open(Path file) throws RunFormatException {
        return new EpochLog(EpochMetricsCsv.open(file));
    }

    /** Adds the row of {@code r} for one architecture and model (a row of a replayed epoch replaces the earlier). */
    public void add(String model, String label, EpochResult r) throws IOException {
        log.add(EpochRecord.of(model, label, r.phase().code(), r.epoch(), r.trainLoss(), r.validationLoss(),
                r.validationAuc(), r.validationAccuracy(), r.seconds(), r.imagesPerSecond()));
    }
}
