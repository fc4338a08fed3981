package io.img2rec.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AtomicFilesTest {
    @Test
    void writtenFilesGetTheUmaskPermissionsOfANewFileNotOwnerOnly(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("plain.txt")); // what the umask gives any new file
        Path atomic = dir.resolve("report.html");
        AtomicFiles.writeString(atomic, "<html></html>");
        assertEquals("<html></html>", Files.readString(atomic));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        AtomicFiles.writeString(atomic, "again"); // replacing keeps the same rule
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "no temporary file left behind");
        }
    }
}
