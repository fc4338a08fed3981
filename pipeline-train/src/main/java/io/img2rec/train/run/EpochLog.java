package io.img2rec.train.run;

import io.img2rec.core.io.AtomicFiles;
import io.img2rec.train.loop.EpochResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code metrics-epochs.csv}: one row per model, label, phase and epoch, rewritten atomically after each epoch.
 * A row written again (an epoch replayed after a resume) replaces the earlier one.
 */
public final class EpochLog {
    public static final List<String> HEADER = List.of("model", "label", "phase", "epoch", "train_loss",
            "validation_loss", "validation_auc", "validation_accuracy", "seconds", "images_per_second");

    private final Path file;
    private final Map<String, List<String>> rows = new LinkedHashMap<>();

    private EpochLog(Path file) {
        this.file = file;
    }

    /** Opens the log, keeping the rows an earlier (interrupted) run wrote. */
    public static EpochLog open(Path file) throws IOException {
        EpochLog log = new EpochLog(file);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file);
                 CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                for (CSVRecord record : parser) {
                    List<String> row = record.toList();
                    log.rows.put(key(row.get(0), row.get(1), row.get(2), row.get(3)), row);
                }
            }
        }
        return log;
    }

    private static String key(String model, String label, String phase, String epoch) {
        return model + "/" + label + "/" + phase + "/" + epoch;
    }

    public synchronized void add(String model, String label, EpochResult r) throws IOException {
        List<String> row = List.of(model, label, r.phase().code(), Integer.toString(r.epoch()), number(r.trainLoss()),
                number(r.validationLoss()), number(r.validationAuc()), number(r.validationAccuracy()),
                String.format(Locale.ROOT, "%.3f", r.seconds()), String.format(Locale.ROOT, "%.2f", r.imagesPerSecond()));
        rows.put(key(model, label, r.phase().code(), Integer.toString(r.epoch())), row);
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180)) {
            printer.printRecord(HEADER);
            for (List<String> each : rows.values()) {
                printer.printRecord(each);
            }
        }
        AtomicFiles.writeString(file, text.toString());
    }

    public synchronized List<List<String>> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Empty for undefined values, so no "NaN" reaches a table. */
    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6f", value) : "";
    }
}
