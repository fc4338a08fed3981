package io.img2rec.core.checkpoint;

import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.TinyCnnArchitecture;
import io.img2rec.core.provenance.RunProvenance;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static ComputationGraph tiny(long seed) {
        return new TinyCnnArchitecture().create(new ArchitectureOptions(32, CNN2DFormat.NHWC, seed), 1);
    }

    private static CheckpointSidecar sidecar(int epoch) {
        var provenance = new RunProvenance("c0", "m0", 7, "abc", "random (test)", Map.of("java", "17"), "CpuBackend",
                "2026-11-24T00:00:00Z");
        return new CheckpointSidecar(CheckpointSidecar.FORMAT_VERSION, "tiny_cnn", List.of("hat"), "best", "full", 32,
                "bgr_rescale", "nearest", "nhwc", "fine_tune", epoch, Map.of("validation_auc", 0.9),
                Map.of("hat", 0.42), null, null, provenance,
                new ResumeState("fine_tune", epoch, 0.9, epoch, 0, 0.9, false));
    }

    @Test
    void savedModelLoadsBackWithTheSamePredictionsAndSidecar() throws Exception {
        var store = new CheckpointStore(dir);
        ComputationGraph model = tiny(1);
        CheckpointSidecar written = store.write("tiny-hat-best", model, true, sidecar(3));
        ComputationGraph loaded = store.load("tiny-hat-best", true);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 32, 32, 3);
        assertEquals(model.outputSingle(x), loaded.outputSingle(x));
        assertEquals(written, store.readSidecar("tiny-hat-best"));
        assertEquals(0.42, written.thresholds().get("hat"));
        assertEquals(3, written.resumeState().epochsCompleted());
        assertTrue(written.modelFile().startsWith("tiny-hat-best-") && written.modelFile().endsWith(".zip"));
    }

    @Test
    void rewritingReplacesTheZipAndLeavesNoOldOrTemporaryFiles() throws Exception {
        var store = new CheckpointStore(dir);
        CheckpointSidecar first = store.write("m-best", tiny(1), false, sidecar(1));
        CheckpointSidecar second = store.write("m-best", tiny(2), false, sidecar(2));
        assertFalse(first.modelFile().equals(second.modelFile()));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.stream.Stream.of("m-best.json", second.modelFile()).sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aCommitRemovesTemporaryFilesAndZipsAKilledWriteLeftBehind() throws Exception {
        var store = new CheckpointStore(dir);
        store.write("m-best", tiny(1), false, sidecar(1));
        Files.writeString(dir.resolve(".m-best.999.zip.tmp"), "half a zip");
        Files.writeString(dir.resolve("m-best-0123456789ab.zip"), "a zip whose sidecar never landed");
        Files.writeString(dir.resolve("m-best-head-0123456789ab.zip"), "another checkpoint's zip");
        CheckpointSidecar latest = store.write("m-best", tiny(2), false, sidecar(2));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.stream.Stream.of("m-best.json", latest.modelFile(), "m-best-head-0123456789ab.zip")
                    .sorted().toList(), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void truncatedOrAlteredZipIsRefusedWithAClearError() throws Exception {
        var store = new CheckpointStore(dir);
        CheckpointSidecar written = store.write("m-best", tiny(1), false, sidecar(1));
        Path zip = dir.resolve(written.modelFile());
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(CheckpointException.class, () -> store.load("m-best", false));
        assertTrue(e.getMessage().contains("does not match its sidecar") && e.getMessage().contains("truncated or altered"),
                e.getMessage());
        Files.delete(zip);
        var missing = assertThrows(CheckpointException.class, () -> store.load("m-best", false));
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    }

    /**
     * Issue 7: the files a SIGKILL can leave at each step of a write (a partial temporary zip; the new zip in place
     * but the sidecar not yet renamed; a partial temporary sidecar) never replace the previous checkpoint, which still
     * loads with its own weights; the next write succeeds over the leftovers.
     */
    @Test
    void aWriteKilledAtAnyStepLeavesThePreviousCheckpointLoadable() throws Exception {
        var store = new CheckpointStore(dir);
        ComputationGraph first = tiny(1);
        store.write("m-best", first, false, sidecar(1));
        var other = new CheckpointStore(dir.resolve("elsewhere"));
        CheckpointSidecar second = other.write("m-best", tiny(2), false, sidecar(2));
        byte[] secondZip = Files.readAllBytes(other.folder().resolve(second.modelFile()));

        Files.write(dir.resolve(".m-best.123.zip.tmp"), java.util.Arrays.copyOf(secondZip, secondZip.length / 3));
        assertEquals(first.params(), store.load("m-best", false).params(), "killed while writing the zip");
        Files.write(dir.resolve(second.modelFile()), secondZip);
        assertEquals(first.params(), store.load("m-best", false).params(), "killed before the sidecar rename");
        Files.writeString(dir.resolve(".m-best.json.tmp"), "{\"format\": 1, \"modelFi");
        assertEquals(first.params(), store.load("m-best", false).params(), "killed while writing the sidecar");
        assertEquals(1, store.readSidecar("m-best").epoch());
        assertEquals(List.of("m-best"), store.names(), "temporary files are not checkpoints");

        CheckpointSidecar rewritten = store.write("m-best", tiny(2), false, sidecar(2));
        assertEquals(rewritten.modelSha256(), store.readSidecar("m-best").modelSha256());
        assertEquals(tiny(2).params(), store.load("m-best", false).params());
    }

    @Test
    void aSidecarWhoseHashWasAlteredIsRefusedAndNamesBothHashes() throws Exception {
        var store = new CheckpointStore(dir);
        CheckpointSidecar written = store.write("m-best", tiny(1), false, sidecar(1));
        Path sidecarFile = store.sidecarFile("m-best");
        Files.writeString(sidecarFile, Files.readString(sidecarFile).replace(written.modelSha256(), "0".repeat(64)));
        var e = assertThrows(CheckpointException.class, () -> store.load("m-best", false));
        assertTrue(e.getMessage().contains(written.modelSha256()) && e.getMessage().contains("0".repeat(64)),
                e.getMessage());
    }

    @Test
    void aSidecarOfANewerFormatIsRefusedWithWhatToDo() throws Exception {
        var store = new CheckpointStore(dir);
        store.write("m-best", tiny(1), false, sidecar(1));
        Path sidecarFile = store.sidecarFile("m-best");
        Files.writeString(sidecarFile,
                Files.readString(sidecarFile).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        var e = assertThrows(CheckpointException.class, () -> CheckpointStore.readSidecar(sidecarFile));
        assertTrue(e.getMessage().startsWith(sidecarFile + ": formatVersion 2 is newer than this img2rec reads (up to 1)"),
                e.getMessage());
    }

    /**
     * The store's zips hold exactly the entries and bytes DL4J's own {@code ModelSerializer} writes (configuration,
     * parameters, updater state), only stored instead of deflated, and its hash is the file's.
     */
    @Test
    void zipsHoldModelSerializersEntriesUncompressedAndTheSidecarHashesTheFile() throws Exception {
        ComputationGraph model = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(3).updater(new org.nd4j.linalg.learning.config.Adam(1e-3)).graphBuilder().addInputs("in")
                .addLayer("dense", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(5).nOut(4).build(), "in")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(4).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.SIGMOID)
                        .lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT).build(), "dense")
                .setOutputs("out").build());
        model.init();
        model.fit(new org.nd4j.linalg.dataset.DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 5),
                Nd4j.createFromArray(new float[][] {{1f}, {0f}, {1f}, {0f}})));
        assertTrue(model.getUpdater().getStateViewArray().length() > 0, "the test model's updater has state");
        for (boolean withUpdater : new boolean[] {true, false}) {
            var store = new CheckpointStore(dir.resolve("u" + withUpdater));
            CheckpointSidecar written = store.write("m-last", model, withUpdater, sidecar(1));
            Path ours = store.folder().resolve(written.modelFile());
            Path theirs = dir.resolve("serializer-" + withUpdater + ".zip");
            org.deeplearning4j.util.ModelSerializer.writeModel(model, theirs.toFile(), withUpdater);
            Map<String, byte[]> expected = entries(theirs);
            Map<String, byte[]> actual = entries(ours);
            assertEquals(expected.keySet(), actual.keySet());
            assertEquals(withUpdater, actual.containsKey(ModelZip.UPDATER_STATE));
            expected.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, actual.get(name)), name));
            try (var zip = new java.util.zip.ZipFile(ours.toFile())) {
                for (var e : java.util.Collections.list(zip.entries())) {
                    assertTrue(e.getCompressedSize() >= e.getSize(), e.getName() + " is stored, not deflated");
                }
            }
            assertEquals(io.img2rec.core.io.Sha256.of(ours), written.modelSha256());
            ComputationGraph loaded = store.load("m-last", withUpdater);
            assertEquals(model.params(), loaded.params());
            if (withUpdater) {
                assertEquals(model.getUpdater().getStateViewArray(), loaded.getUpdater().getStateViewArray());
            }
        }
    }

    private static Map<String, byte[]> entries(Path zipFile) throws java.io.IOException {
        Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (var zip = new java.util.zip.ZipFile(zipFile.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                try (var in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }
}
