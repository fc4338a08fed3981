package io.img2rec.eval;

import io.img2rec.eval.report.ReportFiles;
import io.img2rec.eval.run.RunFolderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateMainTest {

    @Test
    void evaluatesSeveralRunsIntoTheFirstRunFolderOrOut(@TempDir Path tmp) throws Exception {
        Path a = RunFolderFixture.in(tmp, "vgg16").generated(List.of("vgg16"), 6, 1).withoutImages().write();
        Path b = RunFolderFixture.in(tmp, "resnet50").generated(List.of("resnet50"), 6, 2).withoutImages().write();
        ReportFiles files = EvaluateMain.run(a + "," + b, null, null);
        assertEquals(a.resolve("report.html"), files.html());
        assertTrue(Files.readString(files.html()).contains("resnet50"));
        ReportFiles elsewhere = EvaluateMain.run(a.toString(), tmp.resolve("out").toString(), "5");
        assertTrue(Files.isRegularFile(elsewhere.csv()));
        assertTrue(Files.readString(elsewhere.json()).contains("\"seed\" : 5"));
    }

    @Test
    void badCommandLinesGiveOneLineReasons(@TempDir Path tmp) {
        var usage = assertThrows(EvaluateMain.UsageException.class, () -> EvaluateMain.run(" ", null, null));
        assertTrue(usage.getMessage().contains("-Drun="));
        var missing = assertThrows(RunFolderException.class,
                () -> EvaluateMain.run(tmp.resolve("missing").toString(), null, null));
        assertTrue(missing.getMessage().contains("does not exist"));
        var untrained = assertThrows(RunFolderException.class, () -> EvaluateMain.run(tmp.toString(), null, null));
        assertTrue(untrained.getMessage().contains("run training first"));
    }
}
