package io.img2rec.core.manifest;

import io.img2rec.core.io.AtomicFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Reads and writes {@code manifest.csv} ({@code path,also,sha256,width,height,format,<label>...,split}) and
 * {@code rejected.csv} ({@code path,reason,detail}). Writes are atomic; reads validate every column and name the file,
 * line and column of the first problem.
 */
public final class ManifestCsv {

    public static final String MANIFEST_FILE = "manifest.csv";
    public static final String REJECTED_FILE = "rejected.csv";
    /** Separator between copies in the {@code also} column. */
    public static final String ALSO_SEPARATOR = "|";

    private static final List<String> LEADING_COLUMNS = List.of("path", "also", "sha256", "width", "height", "format");
    private static final String SPLIT_COLUMN = "split";
    private static final List<String> REJECTED_COLUMNS = List.of("path", "reason", "detail");
    private static final CSVFormat WRITE_FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();
    
    private ManifestCsv() {
    }

    /** The header of a manifest with these labels. */
    public static List<String> columns(List<String> labels) {
        List<String> columns = new ArrayList<>(LEADING_COLUMNS);
        columns.addAll(labels);
        columns.add(SPLIT_COLUMN);
        return columns;
    }

    /** The canonical CSV text (LF line ends, entries in path order). */
    public static String toCsv(Manifest manifest) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, WRITE_FORMAT)) {
            printRow(printer, columns(manifest.labels()));
            for (ManifestEntry e : manifest.entries()) {
                List<String> row = new ArrayList<>();
                row.add(e.path());
                row.add(String.join(ALSO_SEPARATOR, e.alsoPaths()));
                row.add(e.sha256());
                row.add(Integer.toString(e.width()));
                row.add(Integer.toString(e.height()));
                row.add(e.format());
                for (String label : manifest.labels()) {
                    row.add(e.hasLabel(label) ? "1" : "0");
                }
                row.add(e.split().code());
                printRow(printer, row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * Prints one record value by value. {@code CSVPrinter.printRecord} is avoided on purpose: in Commons CSV 1.14 it
     * needs commons-io 2.18+ ({@code IOStream}), while DL4J brings an older commons-io onto the classpath.
     */
    private static void printRow(CSVPrinter printer, List<String> values) throws IOException {
        for (String value : values) {
            printer.print(value);
        }
        printer.println();
    }

    /** Writes {@code manifest.csv} atomically. */
    public static void write(Manifest manifest, Path file) throws IOException {
        AtomicFiles.writeString(file, toCsv(manifest));
    }

    /** Writes {@code rejected.csv} atomically, sorted by path. */
    public static void writeRejected(List<Rejected> rejected, Path file) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, WRITE_FORMAT)) {
            printRow(printer, REJECTED_COLUMNS);
            for (Rejected r : rejected.stream().sorted(Rejected.ORDER).toList()) {
                printRow(printer, List.of(r.path(), r.reason().code(), r.detail()));
            }
        }
        AtomicFiles.writeString(file, out.toString());
    }

    /** Reads a manifest, taking the label columns from its header (the columns between {@code format} and {@code split}). */
    public static Manifest read(Path file) throws ManifestException {
        List<String> header = readHeader(file);
        if (header.size() < LEADING_COLUMNS.size() + 1 || !header.subList(0, LEADING_COLUMNS.size()).equals(LEADING_COLUMNS)
                || !header.get(header.size() - 1).equals(SPLIT_COLUMN)) {
            throw new ManifestException(file + " line 1: expected columns " + LEADING_COLUMNS + ", then one per label, then '"
                    + SPLIT_COLUMN + "', but found " + header);
        }
        return read(file, header.subList(LEADING_COLUMNS.size(), header.size() - 1));
    }

    /**
     * Reads a manifest whose label columns must be exactly {@code labels}, in that order.
     *
     * @throws ManifestException naming the file, line and column of the first problem
     */
    public static Manifest read(Path file, List<String> labels) throws ManifestException {
        List<String> expected = columns(labels);
        List<ManifestEntry> entries = new ArrayList<>();
        Set<String> seenPaths = new HashSet<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvRecordReader parser = new CsvRecordReader(reader)) {
            CsvRecordReader.CsvLine header = parser.next();
            if (header == null) {
                throw new ManifestException(file + " is empty: expected a header " + expected);
            }
            if (!header.values().equals(expected)) {
                throw new ManifestException(file + " line " + header.line() + ": expected columns " + expected
                        + " but found " + header.values() + "; regenerate the manifest or fix the labels list");
            }
            for (CsvRecordReader.CsvLine record = parser.next(); record != null; record = parser.next()) {
                entries.add(parseRow(file, record.line(), record.values(), expected, labels, seenPaths));
            }
        } catch (NoSuchFileException e) {
            throw new ManifestException("Manifest file " + file + " does not exist; run the manifest scan first", e);
        } catch (IOException | UncheckedIOException e) {
            throw new ManifestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return new Manifest(entries, labels);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(file + ": " + e.getMessage(), e);
        }
    }

    private static ManifestEntry parseRow(Path file, long line, List<String> record, List<String> columns, List<String> labels,
                                          Set<String> seenPaths) throws ManifestException {
        if (record.size() != columns.size()) {
            throw new ManifestException(file + " line " + line + ": expected " + columns.size() + " columns " + columns
                    + " but found " + record.size());
        }
        String path = record.get(0);
        if (path.isBlank()) {
            throw problem(file, line, "path", path, "a relative path");
        }
        if (!seenPaths.add(path)) {
            throw problem(file, line, "path", path, "a path not already listed");
        }
        String alsoCell = record.get(1);
        List<String> also = alsoCell.isEmpty() ? List.of() : Arrays.asList(alsoCell.split("\\|", -1));
        String sha = record.get(2);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw problem(file, line, "sha256", sha, "64 lowercase hex digits");
        }
        int width = positiveInt(file, line, "width", record.get(3));
        int height = positiveInt(file, line, "height", record.get(4));
        String format = record.get(5);
        if (format.isBlank()) {
            throw problem(file, line, "format", format, "a format such as jpeg or png");
        }
        Set<String> entryLabels = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String cell = record.get(LEADING_COLUMNS.size() + i);
            if (cell.equals("1")) {
                entryLabels.add(labels.get(i));
            } else if (!cell.equals("0")) {
                throw problem(file, line, labels.get(i), cell, "0 or 1");
            }
        }
        Split split;
        String splitCell = record.get(columns.size() - 1);
        try {
            split = Split.fromCode(splitCell);
        } catch (IllegalArgumentException e) {
            throw problem(file, line, SPLIT_COLUMN, splitCell, "train, validation, test or unassigned");
        }
        try {
            return new ManifestEntry(path, also, sha, width, height, format, entryLabels, split);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(file + " line " + line + ": " + e.getMessage(), e);
        }
    }

    private static int positiveInt(Path file, long line, String column, String cell) throws ManifestException {
        try {
            int value = Integer.parseInt(cell);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw problem(file, line, column, cell, "a positive integer");
    }

    private static ManifestException problem(Path file, long line, String column, String value, String expected) {
        return new ManifestException(file + " line " + line + " column '" + column + "': expected " + expected
                + " but found '" + value + "'");
    }

    private static List<String> readHeader(Path file) throws ManifestException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvRecordReader parser = new CsvRecordReader(reader)) {
            CsvRecordReader.CsvLine record = parser.next();
            if (record != null) {
                return record.values();
            }
            throw new ManifestException(file + " is empty: expected a manifest.csv header");
        } catch (NoSuchFileException e) {
            throw new ManifestException("Manifest file " + file + " does not exist; run the manifest scan first", e);
        } catch (IOException | UncheckedIOException e) {
            throw new ManifestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code rejected.csv}. */
    public static List<Rejected> readRejected(Path file) throws ManifestException {
        List<Rejected> rejected = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvRecordReader parser = new CsvRecordReader(reader)) {
            CsvRecordReader.CsvLine header = parser.next();
            if (header != null && !header.values().equals(REJECTED_COLUMNS)) {
                throw new ManifestException(file + " line " + header.line() + ": expected columns " + REJECTED_COLUMNS
                        + " but found " + header.values());
            }
            for (CsvRecordReader.CsvLine record = parser.next(); record != null; record = parser.next()) {
                long line = record.line();
                List<String> values = record.values();
                if (values.size() != REJECTED_COLUMNS.size()) {
                    throw new ManifestException(file + " line " + line + ": expected 3 columns but found " + values.size());
                }
                try {
                    rejected.add(new Rejected(values.get(0), RejectReason.fromCode(values.get(1)), values.get(2)));
                } catch (IllegalArgumentException e) {
                    throw problem(file, line, "reason", values.get(1), "a reject reason code");
                }
            }
        } catch (NoSuchFileException e) {
            throw new ManifestException("Rejected file " + file + " does not exist", e);
        } catch (IOException | UncheckedIOException e) {
            throw new ManifestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return rejected;
    }
}
