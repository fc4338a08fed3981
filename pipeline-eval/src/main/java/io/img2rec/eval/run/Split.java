package io.img2rec.eval.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The data splits a run's predictions are written for, as they are spelled in {@code predictions.csv}. */
public enum Split {
    TRAIN("train"), VALIDATION("validation"), TEST("test");

    private final String csvName;

    Split(String csvName) {
        this.csvName = csvName;
    }

    public String csvName() {
        return csvName;
    }

    /** Parses {@code train}, {@code validation} or {@code test} (case-insensitive). */
    public static Split parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Split s : values()) {
            if (s.csvName.equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("split '" + text + "' is not one of "
                + Arrays.stream(values()).map(Split::csvName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return csvName;
    }
}
