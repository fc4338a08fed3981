package io.img2rec.core.run;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Reading and writing the run folder's CSV files: RFC 4180 with a header row; errors name the file and line. */
final class RunCsv {
    private RunCsv() {
    }

    /** Turns one data row into a value; throws {@link IllegalArgumentException} with what is wrong in the row. */
    @FunctionalInterface
    interface RowParser<T> {
        T parse(CSVRecord row);
    }

    static String text(List<String> header, List<List<String>> rows) {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180)) {
            printer.printRecord(header);
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * Every row of {@code file}, parsed.
     *
     * @param required the columns the header must have
     * @param expected all the columns, for the message
     */
    static <T> List<T> read(Path file, List<String> required, List<String> expected, RowParser<T> parser)
            throws RunFormatException {
        if (!Files.isRegularFile(file)) {
            throw new RunFormatException(file + " not found");
        }
        List<T> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                     .setIgnoreEmptyLines(true).get().parse(reader)) {
            List<String> header = csv.getHeaderNames();
            List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new RunFormatException(file + " line 1: header " + header + " lacks column(s) " + missing
                        + "; expected " + String.join(",", expected));
            }
            for (CSVRecord row : csv) {
                try {
                    out.add(parser.parse(row));
                } catch (IllegalArgumentException e) {
                    throw new RunFormatException(file + " line " + (row.getRecordNumber() + 1) + ": " + e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            throw new RunFormatException(file + ": cannot be parsed as CSV (" + e.getMessage() + ")", e);
        }
        return out;
    }

    static String required(CSVRecord r, String column) {
        if (!r.isSet(column)) {
            throw new IllegalArgumentException("has " + r.size() + " fields; column '" + column + "' is missing");
        }
        String v = r.get(column);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("column '" + column + "' is empty");
        }
        return v;
    }

    /** An optional number: absent for a missing column, an empty cell, NaN or an infinity. */
    static OptionalDouble optionalNumber(CSVRecord r, String column) {
        if (!r.isSet(column)) {
            return OptionalDouble.empty();
        }
        String text = r.get(column);
        if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not a number");
        }
    }

    /** {@code value} with {@code decimals} places, or an empty cell when absent, so no "NaN" reaches a table. */
    static String number(OptionalDouble value, int decimals) {
        return value.isPresent() ? String.format(Locale.ROOT, "%." + decimals + "f", value.getAsDouble()) : "";
    }
}
