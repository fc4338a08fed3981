package io.img2rec.serve.keras;

import io.img2rec.core.image.RgbImage;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.weights.Hdf5Values;
import io.img2rec.serve.predict.ScoringModel;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small model in the original project's saved form — a functional model whose top is a nested {@code sequential_1}
 * (flatten, dense, dropout, dense sigmoid) — written by the test as Keras 2.2 JSON and h5 (in the {@code save_weights}
 * layout and in the {@code model.save} layout), imported, and checked against a forward pass computed by hand.
 */
class KerasModelLoaderTest {
    private static final int SIDE = 8;
    private static final String INIT = "\"kernel_initializer\": {\"class_name\": \"VarianceScaling\", \"config\": "
            + "{\"scale\": 1.0, \"mode\": \"fan_avg\", \"distribution\": \"uniform\", \"seed\": null}}, "
            + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": null, "
            + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
            + "\"bias_constraint\": null";

    @TempDir
    Path dir;

    private final Random random = new Random(5);
    private final float[] kernel = floats(3 * 3 * 3 * 2);   // [kh, kw, in, out]
    private final float[] bias = floats(2);
    private final float[] w1 = floats(18 * 4);              // [in, out]
    private final float[] b1 = floats(4);
    private final float[] w2 = floats(4);                   // [4, 1]
    private final float[] b2 = floats(1);

    private float[] floats(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * 0.5);
        }
        return out;
    }

    static String modelJson() {
        return "{\"class_name\": \"Model\", \"config\": {\"name\": \"model_1\", \"layers\": ["
                + "{\"name\": \"input_1\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8, 8, 3],"
                + " \"dtype\": \"float32\", \"sparse\": false, \"name\": \"input_1\"}, \"inbound_nodes\": []},"
                + "{\"name\": \"block1_conv1\", \"class_name\": \"Conv2D\", \"config\": {\"name\": \"block1_conv1\","
                + " \"trainable\": false, \"filters\": 2, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"valid\","
                + " \"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"activation\": \"relu\", \"use_bias\": true, "
                + INIT + "}, \"inbound_nodes\": [[[\"input_1\", 0, 0, {}]]]},"
                + "{\"name\": \"block1_pool\", \"class_name\": \"MaxPooling2D\", \"config\": {\"name\": \"block1_pool\","
                + " \"trainable\": false, \"pool_size\": [2, 2], \"padding\": \"valid\", \"strides\": [2, 2],"
                + " \"data_format\": \"channels_last\"}, \"inbound_nodes\": [[[\"block1_conv1\", 0, 0, {}]]]},"
                + "{\"name\": \"sequential_1\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential_1\", \"layers\": ["
                + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flatten_1\", \"trainable\": true,"
                + " \"batch_input_shape\": [null, 3, 3, 2], \"dtype\": \"float32\", \"data_format\": \"channels_last\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", \"trainable\": true, \"units\": 4,"
                + " \"activation\": \"relu\", \"use_bias\": true, " + INIT + "}},"
                + "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"dropout_1\", \"trainable\": true, \"rate\": 0.5,"
                + " \"noise_shape\": null, \"seed\": null}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_2\", \"trainable\": true, \"units\": 1,"
                + " \"activation\": \"sigmoid\", \"use_bias\": true, " + INIT + "}}]},"
                + " \"inbound_nodes\": [[[\"block1_pool\", 0, 0, {}]]]}],"
                + " \"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"sequential_1\", 1, 0]]},"
                + " \"keras_version\": \"2.2.4\", \"backend\": \"tensorflow\"}";
    }

    /** Weights laid out as Keras 2.2 save_weights writes this model: the top's weights in one sequential_1 group. */
    private void writeWeights(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                Hdf5Values.writeStrings(h5, "layer_names",
                        List.of("input_1", "block1_conv1", "block1_pool", "sequential_1"));
                for (String empty : List.of("input_1", "block1_pool")) {
                    h5.createGroup(empty).close();
                }
                Group conv = h5.createGroup("block1_conv1");
                Group convInner = conv.createGroup("block1_conv1");
                Hdf5Values.writeFloats(convInner, "kernel:0", new long[] {3, 3, 3, 2}, kernel);
                Hdf5Values.writeFloats(convInner, "bias:0", new long[] {2}, bias);
                Hdf5Values.writeStrings(conv, "weight_names",
                        List.of("block1_conv1/kernel:0", "block1_conv1/bias:0"));
                convInner.close();
                conv.close();
                Group top = h5.createGroup("sequential_1");
                Group d1 = top.createGroup("dense_1");
                Hdf5Values.writeFloats(d1, "kernel:0", new long[] {18, 4}, w1);
                Hdf5Values.writeFloats(d1, "bias:0", new long[] {4}, b1);
                Group d2 = top.createGroup("dense_2");
                Hdf5Values.writeFloats(d2, "kernel:0", new long[] {4, 1}, w2);
                Hdf5Values.writeFloats(d2, "bias:0", new long[] {1}, b2);
                Hdf5Values.writeStrings(top, "weight_names",
                        List.of("dense_1/kernel:0", "dense_1/bias:0", "dense_2/kernel:0", "dense_2/bias:0"));
                d1.close();
                d2.close();
                top.close();
            } finally {
                h5.close();
            }
        }
    }

    /**
     * The same weights as {@code model.save} (Keras 2.2.5's {@code ModelCheckpoint}, as the original saved its best
     * VGG16 models) lays them out: under {@code model_weights}, weightless layers with an empty float64
     * {@code weight_names}, and an {@code optimizer_weights} group beside (see {@link KerasSavedModelLayoutTest}).
     */
    private void writeModelSave(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                KerasSavedModelLayoutTest.scalarString(h5, "keras_version", "2.2.5");
                KerasSavedModelLayoutTest.scalarString(h5, "backend", "tensorflow");
                KerasSavedModelLayoutTest.scalarString(h5, "model_config", modelJson());
                Group weights = h5.createGroup("model_weights");
                Hdf5Values.writeStrings(weights, "layer_names",
                        List.of("input_1", "block1_conv1", "block1_pool", "sequential_1"));
                for (String empty : List.of("input_1", "block1_pool")) {
                    Group g = weights.createGroup(empty);
                    KerasSavedModelLayoutTest.emptyFloat64Array(g, "weight_names");
                    g.close();
                }
                Group conv = weights.createGroup("block1_conv1");
                Hdf5Values.writeStrings(conv, "weight_names",
                        List.of("block1_conv1/kernel:0", "block1_conv1/bias:0"));
                KerasSavedModelLayoutTest.writeAtPath(conv, "block1_conv1/kernel:0", new long[] {3, 3, 3, 2}, kernel);
                KerasSavedModelLayoutTest.writeAtPath(conv, "block1_conv1/bias:0", new long[] {2}, bias);
                conv.close();
                Group top = weights.createGroup("sequential_1");
                Hdf5Values.writeStrings(top, "weight_names",
                        List.of("dense_1/kernel:0", "dense_1/bias:0", "dense_2/kernel:0", "dense_2/bias:0"));
                KerasSavedModelLayoutTest.writeAtPath(top, "dense_1/kernel:0", new long[] {18, 4}, w1);
                KerasSavedModelLayoutTest.writeAtPath(top, "dense_1/bias:0", new long[] {4}, b1);
                KerasSavedModelLayoutTest.writeAtPath(top, "dense_2/kernel:0", new long[] {4, 1}, w2);
                KerasSavedModelLayoutTest.writeAtPath(top, "dense_2/bias:0", new long[] {1}, b2);
                top.close();
                weights.close();
                Group optimizer = h5.createGroup("optimizer_weights");
                Hdf5Values.writeStrings(optimizer, "weight_names",
                        List.of("SGD/iterations:0", "training/SGD/Variable:0"));
                KerasSavedModelLayoutTest.scalarInt64(optimizer, "SGD/iterations:0", 77);
                KerasSavedModelLayoutTest.writeAtPath(optimizer, "training/SGD/Variable:0", new long[] {18, 4},
                        floats(18 * 4));
                optimizer.close();
            } finally {
                h5.close();
            }
        }
    }

    /** The model's function, by hand: x[h][w][c] (channels last). */
    private double forward(float[][][] x) {
        double[][][] conv = new double[6][6][2];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                for (int o = 0; o < 2; o++) {
                    double s = bias[o];
                    for (int ki = 0; ki < 3; ki++) {
                        for (int kj = 0; kj < 3; kj++) {
                            for (int c = 0; c < 3; c++) {
                                s += x[i + ki][j + kj][c] * kernel[((ki * 3 + kj) * 3 + c) * 2 + o];
                            }
                        }
                    }
                    conv[i][j][o] = Math.max(0, s);
                }
            }
        }
        double[] flat = new double[18];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int c = 0; c < 2; c++) {
                    flat[(i * 3 + j) * 2 + c] = Math.max(Math.max(conv[2 * i][2 * j][c], conv[2 * i][2 * j + 1][c]),
                            Math.max(conv[2 * i + 1][2 * j][c], conv[2 * i + 1][2 * j + 1][c]));
                }
            }
        }
        double out = b2[0];
        for (int u = 0; u < 4; u++) {
            double h = b1[u];
            for (int k = 0; k < 18; k++) {
                h += flat[k] * w1[k * 4 + u];
            }
            out += Math.max(0, h) * w2[u];
        }
        return 1 / (1 + Math.exp(-out));
    }

    @Test
    void importsTheOriginalsNestedTopAndComputesTheSameFunction() throws Exception {
        Path json = Files.writeString(dir.resolve("hat_model.json"), modelJson());
        Path h5 = dir.resolve("hat_weights.h5");
        writeWeights(h5);
        float[][][] x = new float[SIDE][SIDE][3];
        float[] flat = new float[SIDE * SIDE * 3];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                for (int c = 0; c < 3; c++) {
                    x[i][j][c] = (float) random.nextGaussian();
                    flat[(i * SIDE + j) * 3 + c] = x[i][j][c];
                }
            }
        }
        try (ScoringModel model = KerasModelLoader.load(new KerasModelSpec("hat", "vgg16", json, h5, 0.5))) {
            assertEquals(SIDE, model.card().encoder().inputSize());
            assertEquals(List.of("hat"), model.card().labels());
            ComputationGraph graph = KerasModelLoader.importGraph(json, h5);
            INDArray input = Nd4j.create(flat, new long[] {1, SIDE, SIDE, 3}, 'c');
            if (model.card().encoder().layout() == TensorLayout.NCHW) {
                input = input.permute(0, 3, 1, 2).dup('c');
            }
            double imported = graph.outputSingle(false, input.castTo(DataType.FLOAT)).getDouble(0);
            assertEquals(forward(x), imported, 1e-5);
            double[][] scores = model.score(List.of(new RgbImage(SIDE, SIDE, new byte[SIDE * SIDE * 3])));
            assertTrue(scores[0][0] > 0 && scores[0][0] < 1);
            graph.close();
        }
    }

    @Test
    void theSameModelSavedWithModelSaveImportsAndComputesTheSameFunction() throws Exception {
        Path json = Files.writeString(dir.resolve("vgg_model.json"), modelJson());
        Path h5 = dir.resolve("best_vgg16_model_hat.h5");
        writeModelSave(h5);
        float[][][] x = new float[SIDE][SIDE][3];
        float[] flat = new float[SIDE * SIDE * 3];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                for (int c = 0; c < 3; c++) {
                    x[i][j][c] = (float) random.nextGaussian();
                    flat[(i * SIDE + j) * 3 + c] = x[i][j][c];
                }
            }
        }
        TensorLayout layout;
        try (ScoringModel model = KerasModelLoader.load(new KerasModelSpec("hat", "vgg16", json, h5, 0.5))) {
            layout = model.card().encoder().layout();
        }
        ComputationGraph graph = KerasModelLoader.importGraph(json, h5);
        try {
            INDArray input = Nd4j.create(flat, new long[] {1, SIDE, SIDE, 3}, 'c');
            if (layout == TensorLayout.NCHW) {
                input = input.permute(0, 3, 1, 2).dup('c');
            }
            assertEquals(forward(x), graph.outputSingle(false, input.castTo(DataType.FLOAT)).getDouble(0), 1e-5);
        } finally {
            graph.close();
        }
    }

    @Test
    void flattenerRewiresTheNestedModelAndRefusesDeeperNesting() throws Exception {
        var flat = NestedModelFlattener.flatten(modelJson());
        assertEquals(List.of("flatten_1", "dense_1", "dropout_1", "dense_2"), flat.nestedLayers().get("sequential_1"));
        assertTrue(flat.json().contains("\"output_layers\":[[\"dense_2\",0,0]]"), flat.json());
        assertTrue(flat.json().contains("\"name\":\"flatten_1\",\"class_name\":\"Flatten\""), flat.json());
        String nestedModel = modelJson().replace("\"class_name\": \"Flatten\"", "\"class_name\": \"Sequential\"");
        var e = assertThrows(KerasImportException.class, () -> NestedModelFlattener.flatten(nestedModel));
        assertTrue(e.getMessage().contains("one level of nesting"), e.getMessage());
    }

    @Test
    void kerasModelsJoinCheckpointsInOneRegistryAndTheCli() throws Exception {
        Path json = Files.writeString(dir.resolve("hat_model.json"), modelJson());
        Path h5 = dir.resolve("hat_weights.h5");
        writeWeights(h5);
        io.img2rec.serve.testing.ServeFixtures.writeTiny(dir.resolve("run"), "vgg16", "beard", 1);
        io.img2rec.serve.testing.ServeFixtures.writeTiny(dir.resolve("run"), "vgg16", "eyewear", 2);
        Path image = io.img2rec.core.testing.TestImages.writePng(dir.resolve("face.png"), 40, 40, java.awt.Color.PINK);
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = io.img2rec.serve.ServeMain.run(new String[] {"recommend", "--models", dir.resolve("run").toString(),
                "--keras", "hat:resnet50:" + json + ":" + h5, "--labels", "beard,eyewear,hat", "--faces", "WHOLE_IMAGE",
                "--format", "json", image.toString()}, new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true));
        assertEquals(0, code, err.toString());
        var result = io.img2rec.serve.json.ResultJson.mapper().readTree(out.toString()).get("images").get(0);
        assertEquals("ANALYSED", result.get("status").asText());
        assertEquals(3, result.get("labelScores").size());
        assertTrue(result.get("faces").get(0).get("modelScores").get("hat").has("resnet50"), result.toString());
    }
}
