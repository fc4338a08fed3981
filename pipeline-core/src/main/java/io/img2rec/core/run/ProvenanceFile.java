package io.img2rec.core.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.img2rec.core.provenance.RunProvenance;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code provenance.json}: the run's {@link RunProvenance} as its fields plus {@code formatVersion}, bound with
 * {@link RunJson} exactly as the provenance inside every checkpoint sidecar. A file without {@code formatVersion}
 * (written before versions were recorded) is version 1.
 */
public final class ProvenanceFile {
    /** The version written, and the newest read. */
    public static final int FORMAT_VERSION = 1;

    private ProvenanceFile() {
    }

    /** Writes {@code provenance} to {@code file} atomically. */
    public static void write(Path file, RunProvenance provenance) throws IOException {
        ObjectNode tree = RunJson.object();
        tree.put("formatVersion", FORMAT_VERSION);
        tree.setAll(RunJson.toTree(provenance));
        RunJson.write(file, tree);
    }

    /**
     * Reads {@code file}.
     *
     * @throws RunFormatException naming the file when it is missing, malformed or of a version this build cannot read
     */
    public static RunProvenance read(Path file) throws RunFormatException {
        return RunJson.readVersioned(file, RunProvenance.class, FORMAT_VERSION, "provenance file", false);
    }
}
