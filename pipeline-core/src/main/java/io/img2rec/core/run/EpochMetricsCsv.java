package io.img2rec.core.run;

import io.img2rec.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics-epochs.csv}: one row per model, label, phase and epoch ({@link #COLUMNS}); losses, AUC and accuracy
 * with six decimals, seconds with three, images per second with two, an empty cell for an undefined value. Written
 * through a {@link Log}, which rewrites the file atomically after each epoch.
 */
public final class EpochMetricsCsv {
    /** The columns, in file order. */
    public static final List<String> COLUMNS = List.of("model", "label", "phase", "epoch", "train_loss",
            "validation_loss", "validation_auc", "validation_accuracy", "seconds", "images_per_second");
    private static final List<String> REQUIRED = COLUMNS.subList(0, 4);

    private EpochMetricsCsv() {
    }

    /** Writes {@code rows} to {@code file} atomically. */
    public static void write(Path file, List<EpochRecord> rows) throws IOException {
        List<List<String>> cells = new ArrayList<>(rows.size());
        for (EpochRecord r : rows) {
            cells.add(List.of(r.model(), r.label(), r.phase(), Integer.toString(r.epoch()),
                    RunCsv.number(r.trainLoss(), 6), RunCsv.number(r.validationLoss(), 6),
                    RunCsv.number(r.validationAuc(), 6), RunCsv.number(r.validationAccuracy(), 6),
                    RunCsv.number(r.seconds(), 3), RunCsv.number(r.imagesPerSecond(), 2)));
        }
        AtomicFiles.writeString(file, RunCsv.text(COLUMNS, cells));
    }

    /**
     * Reads {@code file}; the metric columns may be missing or empty.
     *
     * @throws RunFormatException naming the file and line of a malformed row
     */
    public static List<EpochRecord> read(Path file) throws RunFormatException {
        return RunCsv.read(file, REQUIRED, COLUMNS, r -> {
            int epoch;
            try {
                epoch = Integer.parseInt(RunCsv.required(r, "epoch"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("epoch '" + r.get("epoch") + "' is not an integer");
            }
            return new EpochRecord(RunCsv.required(r, "model"), RunCsv.required(r, "label"),
                    RunCsv.required(r, "phase"), epoch, RunCsv.optionalNumber(r, "train_loss"),
                    RunCsv.optionalNumber(r, "validation_loss"), RunCsv.optionalNumber(r, "validation_auc"),
                    RunCsv.optionalNumber(r, "validation_accuracy"), RunCsv.optionalNumber(r, "seconds"),
                    RunCsv.optionalNumber(r, "images_per_second"));
        });
    }

    /** Opens the log of {@code file}, keeping the rows an earlier (interrupted) run wrote. */
    public static Log open(Path file) throws RunFormatException {
        Log log = new Log(file);
        if (Files.isRegularFile(file)) {
            read(file).forEach(log::put);
        }
        return log;
    }

    /**
     * The epoch log of a running training: {@link #add} rewrites the file; a row added again (an epoch replayed after
     * a resume) replaces the earlier one in place. Safe to call from several threads.
     */
    public static final class Log {
        private final Path file;
        private final Map<String, EpochRecord> rows = new LinkedHashMap<>();

        private Log(Path file) {
            this.file = file;
        }

        public Path file() {
            return file;
        }

        private void put(EpochRecord row) {
            rows.put(row.model() + "/" + row.label() + "/" + row.phase() + "/" + row.epoch(), row);
        }

        /** Adds or replaces {@code row} and rewrites the file atomically. */
        public synchronized void add(EpochRecord row) throws IOException {
            put(row);
            write(file, new ArrayList<>(rows.values()));
        }

        /** The rows so far, in file order. */
        public synchronized List<EpochRecord> rows() {
            return List.copyOf(rows.values());
        }
    }
}
