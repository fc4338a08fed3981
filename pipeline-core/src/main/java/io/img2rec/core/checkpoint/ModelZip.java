package io.img2rec.core.checkpoint;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a graph as the zip DL4J's {@code ModelSerializer} writes and reads ({@code configuration.json},
 * {@code coefficients.bin}, and {@code updaterState.bin} when asked for and the updater has state; the same entry
 * names and bytes), but with its entries stored uncompressed. Weights are floats that deflate by only 9–27 %
 * (measured on VGG16 checkpoints), and deflating them cost about 2 s per 37 MB against 0.15 s stored, several
 * seconds per trained model (docs/performance.md, "Checkpoint writes"). {@code ModelSerializer.restore…} reads
 * these zips as it reads its own.
 */
final class ModelZip {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String NO_PARAMS = "noParams.marker";
    static final String UPDATER_STATE = "updaterState.bin";

    private ModelZip() {
    }

    /** Writes {@code model}'s zip to {@code out}, which is flushed but left open. */
    static void write(ComputationGraph model, boolean withUpdater, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // finishing the zip must not close the caller's stream
            }
        });
        zip.setLevel(Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry(CONFIGURATION));
        zip.write(model.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        INDArray params = model.params();
        if (params != null) {
            writeArray(zip, COEFFICIENTS, params);
        } else {
            zip.putNextEntry(new ZipEntry(NO_PARAMS));
            zip.closeEntry();
        }
        if (withUpdater) {
            INDArray state = model.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                writeArray(zip, UPDATER_STATE, state);
            }
        }
        zip.close();
    }

    private static void writeArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
        Nd4j.write(array, data);
        data.flush();
        zip.closeEntry();
    }
}
