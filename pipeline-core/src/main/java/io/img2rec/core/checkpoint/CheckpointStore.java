package io.img2rec.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.io.Sha256;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes and reads checkpoints in a folder: {@code <name>.zip} (DL4J ModelSerializer) and {@code <name>.json}.
 * The zip is written first and the sidecar second, each atomically; a reader checks the zip against the
 * sidecar's SHA-256, so a truncated, altered or half-replaced checkpoint is refused with a clear error.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path folder;

    public CheckpointStore(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    public Path modelFile(String name) {
        return folder.resolve(name + ".zip");
    }

    public Path sidecarFile(String name) {
        return folder.resolve(name + ".json");
    }

    /** Saves a model and its sidecar (with the zip's hash filled in); returns the sidecar as written. */
    public CheckpointSidecar write(String name, ComputationGraph model, boolean withUpdater, CheckpointSidecar sidecar)
            throws CheckpointException {
        Path zip = modelFile(name);
        try {
            Files.createDirectories(folder);
            AtomicFiles.writeVia(zip, temp -> ModelSerializer.writeModel(model, temp.toFile(), withUpdater));
            CheckpointSidecar complete = sidecar.withModelSha256(Sha256.of(zip));
            AtomicFiles.writeString(sidecarFile(name), JSON.writeValueAsString(complete));
            return complete;
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint " + zip + ": " + e.getMessage()
                    + " (check that the folder is writable and the disk has space)", e);
        }
    }

    public static CheckpointSidecar readSidecar(Path sidecarFile) throws CheckpointException {
        try {
            return JSON.readValue(sidecarFile.toFile(), CheckpointSidecar.class);
        } catch (IOException e) {
            throw new CheckpointException(sidecarFile + ": not a readable checkpoint sidecar (" + e.getMessage() + ")", e);
        }
    }

    public CheckpointSidecar readSidecar(String name) throws CheckpointException {
        return readSidecar(sidecarFile(name));
    }

    /** Checks the zip against its sidecar's hash. */
    public static void verify(Path zip, CheckpointSidecar sidecar) throws CheckpointException {
        if (!Files.isRegularFile(zip)) {
            throw new CheckpointException(zip + " is missing although its sidecar exists; the checkpoint is incomplete");
        }
        try {
            String actual = Sha256.of(zip);
            if (!actual.equals(sidecar.modelSha256())) {
                throw new CheckpointException(zip + " does not match its sidecar (SHA-256 " + actual + ", expected "
                        + sidecar.modelSha256() + "): the file is truncated or altered; restore it or retrain");
            }
        } catch (IOException e) {
            throw new CheckpointException(zip + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Loads a verified model. */
    public ComputationGraph load(String name, boolean withUpdater) throws CheckpointException {
        return load(modelFile(name), readSidecar(name), withUpdater);
    }

    public static ComputationGraph load(Path zip, CheckpointSidecar sidecar, boolean withUpdater)
            throws CheckpointException {
        verify(zip, sidecar);
        try {
            return ModelSerializer.restoreComputationGraph(zip.toFile(), withUpdater);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(zip + ": not a loadable DL4J model (" + e.getMessage() + ")", e);
        }
    }

    /** Names (without extension) of the checkpoints in the folder that have a sidecar. */
    public List<String> names() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .forEach(names::add);
        }
        return names;
    }

    public boolean exists(String name) {
        return Files.isRegularFile(sidecarFile(name)) && Files.isRegularFile(modelFile(name));
    }
}
