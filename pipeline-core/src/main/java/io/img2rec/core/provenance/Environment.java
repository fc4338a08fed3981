package io.img2rec.core.provenance;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads facts about the running environment for provenance: versions, backend, git commit. */
public final class Environment {
    private Environment() {
    }

    public static Map<String, String> versions() {
        var versions = new LinkedHashMap<String, String>();
        versions.put("img2rec", Optional.ofNullable(Environment.class.getPackage().getImplementationVersion())
                .orElse("0.1.0-SNAPSHOT"));
        versions.put("deeplearning4j", Optional.ofNullable(Nd4j.class.getPackage().getImplementationVersion())
                .orElse("1.0.0-M2.1"));
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return versions;
    }

    /** The ND4J backend in use, e.g. {@code CpuBackend}, with its data type; never assumes one backend. */
    public static String backend() {
        return Nd4j.getBackend().getClass().getSimpleName() + " (" + Nd4j.dataType() + ", "
                + Nd4j.getExecutioner().getClass().getSimpleName() + ")";
    }

    /** The checkout's HEAD commit read from {@code .git}, or {@code unknown}. */
    public static String gitCommit(Path projectRoot) {
        try {
            Path git = projectRoot.resolve(".git");
            if (Files.isRegularFile(git)) { // a worktree: "gitdir: /path"
                git = Path.of(Files.readString(git).trim().substring("gitdir:".length()).trim());
            }
            String head = Files.readString(git.resolve("HEAD")).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring(5);
            for (Path dir = git; dir != null; dir = dir.getParent()) {
                Path refFile = dir.resolve(ref);
                if (Files.isRegularFile(refFile)) {
                    return Files.readString(refFile).trim();
                }
                Path packed = dir.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String line : Files.readAllLines(packed)) {
                        if (line.endsWith(" " + ref)) {
                            return line.substring(0, line.indexOf(' '));
                        }
                    }
                }
                if (Files.isDirectory(dir.resolve("refs"))) {
                    break;
                }
            }
            return "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
