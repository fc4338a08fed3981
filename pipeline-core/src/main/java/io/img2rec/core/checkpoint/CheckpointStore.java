package io.img2rec.core.checkpoint;

import io.img2rec.core.io.AtomicFiles;
import io.img2rec.core.io.Digests;
import io.img2rec.core.io.Sha256;
import io.img2rec.core.run.RunFormatException;
import io.img2rec.core.run.RunJson;
import io.img2rec.core.run.RunLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checkpoints in a folder, each a sidecar {@code <name>.json} naming a model zip {@code <name>-<sha prefix>.zip}.
 * Zips are DL4J's model zips ({@link ModelZip}, entries stored uncompressed), hashed as they are written.
 * A write puts the new zip beside the old one, then replaces the sidecar atomically, then deletes the old zip: the
 * sidecar rename is the commit, so a crash at any point leaves a sidecar whose zip exists and matches it. A reader
 * checks the zip against the sidecar's SHA-256, so a truncated or altered file is refused with a clear error.
 * Sidecars are bound with the run folder's one JSON binding ({@link RunJson}); names come from
 * {@link RunLayout#checkpointName}.
 */
public final class CheckpointStore {

    private final Path folder;

    public CheckpointStore(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    public Path sidecarFile(String name) {
        return folder.resolve(RunLayout.sidecarFileName(name));
    }

    /** Saves a model and then its sidecar (file name and hash filled in); returns the sidecar as written. */
    public CheckpointSidecar write(String name, ComputationGraph model, boolean withUpdater, CheckpointSidecar sidecar)
            throws CheckpointException {
        try {
            Files.createDirectories(folder);
            Path temp = AtomicFiles.createSibling(folder, "." + name + ".", ".zip.tmp");
            try {
                MessageDigest digest = Digests.newDigest("SHA-256");
                try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(temp),
                        1 << 16), digest)) {
                    ModelZip.write(model, withUpdater, out); // DL4J's zip, stored: floats hardly deflate
                }
                String sha = Sha256.hexOf(digest);
                String fileName = RunLayout.modelFileName(name, sha);
                Files.move(temp, folder.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                CheckpointSidecar complete = sidecar.withModel(fileName, sha);
                RunJson.write(sidecarFile(name), complete);
                removeLeftovers(name, fileName);
                return complete;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint " + name + " in " + folder + ": " + e.getMessage()
                    + " (check that the folder is writable and the disk has space)", e);
        }
    }

    /**
     * After a commit: deletes this checkpoint's zips other than the committed one and temporary files a killed write
     * left behind (one writer per checkpoint name, so nothing else can be writing them).
     */
    private void removeLeftovers(String name, String committedZip) throws IOException {
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name)
                + "-[0-9a-f]{12}\\.zip|\\." + java.util.regex.Pattern.quote(name) + "\\..*\\.tmp");
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.equals(committedZip) && ours.matcher(fileName).matches()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Reads a sidecar; one without {@code formatVersion} is version 1, one of a version newer than
     * {@link CheckpointSidecar#FORMAT_VERSION} is refused with a message saying so.
     */
    public static CheckpointSidecar readSidecar(Path sidecarFile) throws CheckpointException {
        try {
            return RunJson.readVersioned(sidecarFile, CheckpointSidecar.class, CheckpointSidecar.FORMAT_VERSION,
                    "checkpoint sidecar", true);
        } catch (RunFormatException e) {
            throw new CheckpointException(e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
    }

    public CheckpointSidecar readSidecar(String name) throws CheckpointException {
        return readSidecar(sidecarFile(name));
    }

    /** The zip a sidecar (read from {@code sidecarFile}) describes. */
    public static Path modelFileOf(Path sidecarFile, CheckpointSidecar sidecar) throws CheckpointException {
        if (sidecar.modelFile() == null || sidecar.modelFile().contains("/") || sidecar.modelFile().contains("\\")) {
            throw new CheckpointException(sidecarFile + ": names no model file (modelFile = " + sidecar.modelFile() + ")");
        }
        return sidecarFile.resolveSibling(sidecar.modelFile());
    }

    /** Checks the zip against its sidecar's hash. */
    public static void verify(Path zip, CheckpointSidecar sidecar) throws CheckpointException {
        if (!Files.isRegularFile(zip)) {
            throw new CheckpointException(zip + " is missing although its sidecar names it; the checkpoint is incomplete");
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

    /** Loads the verified model of checkpoint {@code name}. */
    public ComputationGraph load(String name, boolean withUpdater) throws CheckpointException {
        return load(sidecarFile(name), withUpdater);
    }

    /** Loads the verified model a sidecar file describes. */
    public static ComputationGraph load(Path sidecarFile, boolean withUpdater) throws CheckpointException {
        CheckpointSidecar sidecar = readSidecar(sidecarFile);
        Path zip = modelFileOf(sidecarFile, sidecar);
        verify(zip, sidecar);
        try {
            return ModelSerializer.restoreComputationGraph(zip.toFile(), withUpdater);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(zip + ": not a loadable DL4J model (" + e.getMessage() + ")", e);
        }
    }

    /** Names (without extension) of the checkpoints in the folder, from their sidecars. */
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
        return Files.isRegularFile(sidecarFile(name));
    }
}
