package io.img2rec.core.nativeio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NativeSetup#configure()} in fresh JVMs (this one has loaded ND4J long ago), before and after ND4J loads. */
class NativeSetupTest {

    @Test
    void configureBeforeNd4jSetsThePropertiesOnceAndWarnsNever() throws Exception {
        List<String> out = child("first");
        assertTrue(out.contains("loadedBefore=false"), String.join("\n", out));
        assertTrue(out.contains("warnings=0"), String.join("\n", out));
        assertTrue(out.contains("helpers.disable=false"), String.join("\n", out));
        assertTrue(out.contains("extension=-onednn"), String.join("\n", out));
        assertTrue(out.contains("configured=true"), String.join("\n", out));
    }

    @Test
    void configureAfterNd4jLoadedWarnsExactlyOnceSayingWhatIsLostAndHowToAvoidIt() throws Exception {
        List<String> out = child("late");
        String all = String.join("\n", out);
        assertTrue(out.contains("loadedBefore=true"), all);
        assertTrue(out.contains("warnings=1"), all);
        String warning = out.stream().filter(l -> l.startsWith("warning: ")).findFirst().orElseThrow();
        assertTrue(warning.contains("5-8x slower"), warning);
        assertTrue(warning.contains("NativeSetup.configure()"), warning);
        assertTrue(warning.contains("before using ND4J"), warning);
    }

    @Test
    void lateWarningTellsTheOneDnnBuildFromThePlainOne() {
        assertTrue(NativeSetup.lateSetupWarning("/x/linux-x86_64/libnd4jcpu.so").contains("is not the oneDNN build"));
        assertTrue(NativeSetup.lateSetupWarning("/x/linux-x86_64-onednn/libnd4jcpu.so")
                .contains("layers created before this call"));
    }

    @Test
    void otherPlatformWarningNamesThePlatformAndWhatToAdd() {
        String warning = NativeSetup.otherPlatformWarning("macosx-arm64");
        assertTrue(warning.contains("linux-x86_64 only") && warning.contains("macosx-arm64")
                && warning.contains("org.nd4j:nd4j-native"), warning);
    }

    private static List<String> child(String mode) throws IOException, InterruptedException {
        // No -D for the two properties: the child starts as an application would.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), NativeSetupChild.class.getName(), mode)
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        return output.lines().toList();
    }

    @Test
    void openMpHintSaysWhatToExportOnlyWhenTheWaitPolicyIsUnset() {
        assertTrue(NativeSetup.openMpHint(null).contains("export OMP_WAIT_POLICY=PASSIVE before starting"),
                NativeSetup.openMpHint(null));
        assertTrue(NativeSetup.openMpHint(" ").startsWith("OMP_WAIT_POLICY is not set"));
        assertEquals("OMP_WAIT_POLICY=PASSIVE", NativeSetup.openMpHint("PASSIVE"));
    }
}
