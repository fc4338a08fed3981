package io.img2rec.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    @Test
    void readsQuotedFieldsWithCommasQuotesAndLineBreaksReportingTheLineEachRecordEndsOn() throws IOException {
        String text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n\"two\nlines\",,last\nend";
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text));

        assertEquals(new CsvRecordReader.CsvLine(1, List.of("a", "b", "c")), reader.next());
        assertEquals(new CsvRecordReader.CsvLine(2, List.of("x, y", "say \"hi\"", "")), reader.next());
        assertEquals(new CsvRecordReader.CsvLine(5, List.of("two\nlines", "", "last")), reader.next());
        assertEquals(new CsvRecordReader.CsvLine(6, List.of("end")), reader.next());
        assertNull(reader.next());
    }

    @Test
    void unterminatedQuoteIsAnError() {
        assertThrows(IOException.class, () -> new CsvRecordReader(new StringReader("a,\"open\n")).next());
    }
}
