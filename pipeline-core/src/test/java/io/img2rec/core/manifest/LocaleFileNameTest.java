package io.img2rec.core.manifest;

import io.img2rec.core.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A non-ASCII file name under a POSIX locale: the scan says the locale is the cause (issue 14 §5). */
class LocaleFileNameTest {
    private static final List<String> LABELS = List.of("hat", "beard");

    private static List<String> scanInChildJvm(Path root, String lcAll) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScanChildProcess.class.getName(), root.toString()));
        command.addAll(LABELS);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LANG");
        builder.environment().remove("LC_CTYPE");
        builder.environment().put("LC_ALL", lcAll);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        assertEquals(0, status, "the scan under LC_ALL=" + lcAll + " failed:\n" + out);
        return out.lines().filter(l -> l.startsWith("kept\t") || l.startsWith("rejected\t")).toList();
    }

    @Test
    void aNonAsciiNameUnderThePosixLocaleIsRejectedNamingTheLocaleAndTheRestIsKept(@TempDir Path root) throws Exception {
        TestImages.writePng(root.resolve("hat/plain.png"), 40, 40, new Color(10, 20, 30));
        TestImages.writePng(root.resolve("hat/фото.png"), 40, 40, new Color(40, 50, 60));
        TestImages.writePng(root.resolve("beard/other.png"), 40, 40, new Color(70, 80, 90));

        List<String> posix = scanInChildJvm(root, "C");
        assertTrue(posix.contains("kept\that/plain.png"), posix.toString());
        assertTrue(posix.contains("kept\tbeard/other.png"), posix.toString());
        String rejected = posix.stream().filter(l -> l.startsWith("rejected\t")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing rejected: " + posix));
        String[] fields = rejected.split("\t", 4);
        assertEquals(RejectReason.UNREADABLE.name(), fields[2], rejected);
        assertTrue(fields[3].contains("LC_ALL=C") && fields[3].contains("UTF-8"), rejected);
        assertEquals(3, posix.size(), posix.toString());

        List<String> utf8 = scanInChildJvm(root, "C.UTF-8");
        assertTrue(utf8.contains("kept\that/фото.png"), utf8.toString());
        assertEquals(3, utf8.stream().filter(l -> l.startsWith("kept\t")).count(), utf8.toString());
    }
}
