package io.img2rec.core.manifest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * Reads RFC 4180 records (comma separated, double-quote quoting, CRLF or LF, blank lines skipped) with Commons CSV,
 * one at a time, with the line number where each record ends so errors can point at it.
 */
final class CsvRecordReader implements java.io.Closeable {

    /** One record and the (1-based) line it ends on. */
    record CsvLine(long line, List<String> values) {
    }

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;

    CsvRecordReader(Reader reader) throws IOException {
        this.parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(reader);
        this.records = parser.iterator();
    }

    /** The next record, or null at the end. */
    CsvLine next() throws IOException {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            return new CsvLine(parser.getCurrentLineNumber(), record.toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
