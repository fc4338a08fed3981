package io.img2rec.core.run;

import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.manifest.Split;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code predictions.csv}: {@code path,split,model,label,truth,score}, one row per image, model and label; truth is
 * {@code 1} or {@code 0}, the score has eight decimals, or is {@code NaN} for an image that could not be scored.
 */
public final class PredictionsCsv {
    /** The columns, in file order. */
    public static final List<String> COLUMNS = List.of("path", "split", "model", "label", "truth", "score");

    private PredictionsCsv() {
    }

    /** Writes {@code rows} to {@code file} atomically. */
    public static void write(Path file, List<Prediction> rows) throws IOException {
        List<List<String>> cells = new ArrayList<>(rows.size());
        for (Prediction p : rows) {
            cells.add(List.of(p.path(), p.split().code(), p.model(), p.label(), p.truth() ? "1" : "0",
                    Double.isNaN(p.score()) ? "NaN" : String.format(Locale.ROOT, "%.8f", p.score())));
        }
        AtomicFiles.writeString(file, RunCsv.text(COLUMNS, cells));
    }

    /**
     * Reads {@code file} (also a stray predictions file outside a run folder). Accepts truth as {@code 0/1},
     * {@code 0.0/1.0} or {@code false/true}, and an empty score as NaN.
     *
     * @throws RunFormatException naming the file and line of a malformed or repeated row
     */
    public static List<Prediction> read(Path file) throws RunFormatException {
        Set<String> keys = new HashSet<>();
        return RunCsv.read(file, COLUMNS, COLUMNS, r -> {
            String path = RunCsv.required(r, "path");
            Split split = parseSplit(RunCsv.required(r, "split"));
            String model = RunCsv.required(r, "model");
            String label = RunCsv.required(r, "label");
            boolean truth = parseTruth(RunCsv.required(r, "truth"));
            double score = parseScore(r.get("score"));
            if (!keys.add(path + '\u0000' + split.code() + '\u0000' + model + '\u0000' + label)) {
                throw new IllegalArgumentException("duplicate row for path '" + path + "', split " + split.code()
                        + ", model '" + model + "', label '" + label + "'");
            }
            return new Prediction(path, split, model, label, truth, score);
        });
    }

    /** Parses {@code train}, {@code validation} or {@code test} (case-insensitive); not {@code unassigned}. */
    private static Split parseSplit(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (Split split : Prediction.SPLITS) {
            if (split.code().equals(wanted)) {
                return split;
            }
        }
        throw new IllegalArgumentException("split '" + text + "' is not one of "
                + Prediction.SPLITS.stream().map(Split::code).collect(Collectors.joining(", ")));
    }

    private static boolean parseTruth(String text) {
        return switch (text) {
            case "1", "1.0", "true" -> true;
            case "0", "0.0", "false" -> false;
            default -> throw new IllegalArgumentException("truth '" + text + "' must be 0 or 1");
        };
    }

    private static double parseScore(String text) {
        if (text == null || text.isEmpty() || text.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        double score;
        try {
            score = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("score '" + text + "' is not a number (write NaN for an image that failed)");
        }
        if (Double.isInfinite(score)) {
            throw new IllegalArgumentException("score '" + text + "' is infinite; scores are probabilities");
        }
        return score;
    }
}
