package io.img2rec.core.manifest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 record reader (comma separated, double-quote quoting, quotes doubled inside quotes, CRLF or LF).
 *
 * <p>Why not Commons CSV's parser: in Commons CSV 1.14 it needs commons-io 2.18+ ({@code UnsynchronizedBufferedReader}),
 * while DL4J 1.0.0-M2.1 resolves commons-io 2.7, so parsing fails with {@code NoClassDefFoundError}. Writing still goes
 * through Commons CSV's {@code CSVPrinter}. Once the build pins commons-io 2.18+, this class can be replaced.
 */
final class CsvRecordReader implements java.io.Closeable {

    /** One record and the line it starts on (1-based). */
    record CsvLine(long line, List<String> values) {
    }

    private final Reader reader;
    private long line = 1;
    private int pushedBack = -2;

    CsvRecordReader(Reader reader) {
        this.reader = reader;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return reader.read();
    }

    /**
     * @return the next record, or {@code null} at end of input; blank lines are skipped
     * @throws IOException on read failure or an unterminated quoted field
     */
    CsvLine next() throws IOException {
        while (true) {
            long start = line;
            List<String> values = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean anything = false;
            int c = read();
            if (c == -1) {
                return null;
            }
            while (true) {
                if (c == '"' && field.length() == 0) {
                    anything = true;
                    readQuoted(field, start);
                    c = read();
                    if (c != ',' && c != '\n' && c != '\r' && c != -1) {
                        throw new IOException("line " + line + ": unexpected character '" + (char) c + "' after a closing quote");
                    }
                    continue;
                }
                if (c == ',') {
                    anything = true;
                    values.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' || c == '\n' || c == -1) {
                    if (c == '\r') {
                        int after = read();
                        if (after != '\n') {
                            pushedBack = after;
                        }
                    }
                    if (c != -1) {
                        line++;
                    }
                    if (!anything && field.length() == 0) {
                        break; // blank line
                    }
                    values.add(field.toString());
                    return new CsvLine(start, values);
                } else {
                    anything = true;
                    field.append((char) c);
                }
                c = read();
            }
            if (c == -1) {
                return null;
            }
        }
    }

    private void readQuoted(StringBuilder field, long start) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new IOException("line " + start + ": quoted field is never closed");
            }
            if (c == '"') {
                int after = read();
                if (after == '"') {
                    field.append('"');
                    continue;
                }
                pushedBack = after;
                return;
            }
            if (c == '\n') {
                line++;
            }
            field.append((char) c);
        }
    }
}
