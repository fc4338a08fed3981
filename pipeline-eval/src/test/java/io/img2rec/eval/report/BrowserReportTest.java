package io.img2rec.eval.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens the report in headless Chromium (Debian's {@code chromium}: {@code apt-get install -y chromium}). A test-only
 * copy of the report gets a script that records console errors and failed loads and, once the page has loaded,
 * writes the count of images and of images with {@code naturalWidth == 0} into the DOM, which {@code --dump-dom}
 * prints. The delivered report itself is then screenshotted to {@code target/report-screenshot.png}.
 */
@Tag("browser")
class BrowserReportTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern RESULT = Pattern.compile(
            "IMG2REC-CHECK images=(\\d+) broken=(\\d+) errors=(\\d+) details=\\[([^<]*)]");

    private static final String CHECK_SCRIPT = """
            <script>
            (function () {
              var errors = [];
              var original = console.error;
              console.error = function () { errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
                                            return original.apply(console, arguments); };
              window.addEventListener('error', function (e) {
                errors.push(e.message ? 'error: ' + e.message : 'failed to load ' + (e.target && e.target.tagName));
              }, true);
              window.addEventListener('unhandledrejection', function (e) { errors.push('rejection: ' + e.reason); });
              window.addEventListener('load', function () {
                var images = document.images, broken = [];
                for (var i = 0; i < images.length; i++) {
                  if (!images[i].complete || images[i].naturalWidth === 0) { broken.push(images[i].alt); }
                }
                var out = document.createElement('pre');
                out.textContent = 'IMG2REC-CHECK images=' + images.length + ' broken=' + broken.length
                    + ' errors=' + errors.length + ' details=[' + broken.concat(errors).join(' | ') + ']';
                document.body.appendChild(out);
              });
            })();
            </script>
            """;

    @Test
    void reportLoadsWithoutConsoleErrorsAndEveryImageDecodes(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is missing; install it with"
                + " 'apt-get install -y chromium' to run the headless-browser check of report.html");
        ReportFiles files = ReportWriterTest.twoRunReport(tmp, tmp.resolve("out"), true);
        String html = Files.readString(files.html());
        Path checked = files.html().resolveSibling("report-checked.html");
        Files.writeString(checked, html.replaceFirst("<head>", "<head>\n" + Matcher.quoteReplacement(CHECK_SCRIPT)));

        Result dom = chromium(tmp, List.of("--virtual-time-budget=10000", "--dump-dom", checked.toUri().toString()));
        Matcher m = RESULT.matcher(dom.stdout());
        assertTrue(m.find(), "the check script wrote its result; chromium stderr:\n" + dom.stderr());
        int images = Integer.parseInt(m.group(1));
        assertEquals(ReportWriterTest.embeddedImages(html).size(), images, "chromium saw every embedded image");
        assertEquals(0, Integer.parseInt(m.group(2)), "images with naturalWidth 0: " + m.group(4));
        assertEquals(0, Integer.parseInt(m.group(3)), "console errors: " + m.group(4));

        Path target = Path.of(System.getProperty("basedir", "")).resolve("target");
        Files.createDirectories(target);
        Path screenshot = target.resolve("report-screenshot.png");
        Files.deleteIfExists(screenshot);
        Result shot = chromium(tmp, List.of("--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                "--window-size=1280,2000", "--screenshot=" + screenshot.toAbsolutePath(), files.html().toUri().toString()));
        assertTrue(Files.size(screenshot) > 10_000, "screenshot written: " + screenshot);
        List<String> console = shot.stderr().lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertTrue(console.isEmpty(), "the delivered report logs nothing to the console: " + console);
    }

    private record Result(String stdout, String stderr) {
    }

    private static Result chromium(Path tmp, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp,
                        "chromium-profile")));
        command.addAll(extra);
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + command);
        }
        return new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
