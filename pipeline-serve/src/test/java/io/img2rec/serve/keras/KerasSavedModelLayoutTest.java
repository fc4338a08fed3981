package io.img2rec.serve.keras;

import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.weights.Hdf5Values;
import io.img2rec.serve.predict.ScoringModel;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The original project's saved models in the layout Keras 2.2.5's {@code model.save} (and {@code ModelCheckpoint}
 * without {@code save_weights_only}) writes them, on a small functional model of ResNet50's kinds of layer:
 * ZeroPadding2D, Conv2D, BatchNormalization, Activation, a residual Add, and the original's nested
 * {@code sequential_1} top (GlobalAveragePooling2D → Dense ReLU → Dropout → Dense sigmoid).
 *
 * <p>The h5 file is written as h5py writes it for Keras: root attributes {@code keras_version}, {@code backend},
 * {@code model_config}, {@code training_config}; a {@code model_weights} group with {@code layer_names} and, per
 * layer, {@code weight_names} — an <em>empty float64 array</em> for a weightless layer (h5py's rendering of
 * {@code []}) — and each weight at {@code model_weights/<group>/<weight name>}; the nested model's weights all in its
 * one group; an {@code optimizer_weights} group (SGD with momentum: iterations and one moment per weight). The
 * imported network's scores are compared with a forward pass computed here by hand (1e-5).
 */
class KerasSavedModelLayoutTest {
    private static final int SIDE = 6;
    private static final int FILTERS = 3;
    private static final int UNITS = 4;
    private static final double BN_EPSILON = 1e-3;

    @TempDir
    Path dir;

    private final Random random = new Random(14);
    private final float[] conv1Kernel = gaussian(3 * 3 * 3 * FILTERS, 0.5);   // [kh, kw, in, out]
    private final float[] conv1Bias = gaussian(FILTERS, 0.5);
    private final float[] gamma = uniform(FILTERS, 0.5, 1.5);
    private final float[] beta = gaussian(FILTERS, 0.3);
    private final float[] movingMean = gaussian(FILTERS, 0.5);
    private final float[] movingVariance = uniform(FILTERS, 0.3, 2.0);
    private final float[] branchKernel = gaussian(FILTERS * FILTERS, 0.5);    // [1, 1, in, out]
    private final float[] branchBias = gaussian(FILTERS, 0.3);
    private final float[] dense1Kernel = gaussian(FILTERS * UNITS, 0.8);      // [in, out]
    private final float[] dense1Bias = gaussian(UNITS, 0.3);
    private final float[] dense2Kernel = gaussian(UNITS, 0.8);                // [units, 1]
    private final float[] dense2Bias = gaussian(1, 0.3);

    private float[] gaussian(int n, double sd) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * sd);
        }
        return out;
    }

    private float[] uniform(int n, double from, double to) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (from + random.nextDouble() * (to - from));
        }
        return out;
    }

    // ---------------------------------------------------------------- the model JSON, as Keras 2.2.5 writes it

    private static final String KERNEL_INIT = "\"kernel_initializer\": {\"class_name\": \"VarianceScaling\", "
            + "\"config\": {\"scale\": 1.0, \"mode\": \"fan_avg\", \"distribution\": \"uniform\", \"seed\": null}}, "
            + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": null, "
            + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
            + "\"bias_constraint\": null";

    private static String conv(String name, int kernel, String inbound) {
        return "{\"name\": \"" + name + "\", \"class_name\": \"Conv2D\", \"config\": {\"name\": \"" + name + "\", "
                + "\"trainable\": false, \"filters\": " + FILTERS + ", \"kernel_size\": [" + kernel + ", " + kernel
                + "], \"strides\": [1, 1], \"padding\": \"valid\", \"data_format\": \"channels_last\", "
                + "\"dilation_rate\": [1, 1], \"activation\": \"linear\", \"use_bias\": true, " + KERNEL_INIT + "}, "
                + "\"inbound_nodes\": [[[\"" + inbound + "\", 0, 0, {}]]]}";
    }

    private static String activation(String name, String inbound) {
        return "{\"name\": \"" + name + "\", \"class_name\": \"Activation\", \"config\": {\"name\": \"" + name
                + "\", \"trainable\": false, \"activation\": \"relu\"}, \"inbound_nodes\": [[[\"" + inbound
                + "\", 0, 0, {}]]]}";
    }

    /** {@code model.to_json()} of the model: functional, its top a nested Sequential called once (node 1). */
    static String modelJson() {
        return "{\"class_name\": \"Model\", \"config\": {\"name\": \"model_1\", \"layers\": ["
                + "{\"name\": \"input_1\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": "
                + "[null, " + SIDE + ", " + SIDE + ", 3], \"dtype\": \"float32\", \"sparse\": false, \"name\": "
                + "\"input_1\"}, \"inbound_nodes\": []}, "
                + "{\"name\": \"conv1_pad\", \"class_name\": \"ZeroPadding2D\", \"config\": {\"name\": \"conv1_pad\", "
                + "\"trainable\": false, \"padding\": [[1, 1], [1, 1]], \"data_format\": \"channels_last\"}, "
                + "\"inbound_nodes\": [[[\"input_1\", 0, 0, {}]]]}, "
                + conv("conv1", 3, "conv1_pad") + ", "
                + "{\"name\": \"bn_conv1\", \"class_name\": \"BatchNormalization\", \"config\": {\"name\": "
                + "\"bn_conv1\", \"trainable\": false, \"axis\": 3, \"momentum\": 0.99, \"epsilon\": 0.001, "
                + "\"center\": true, \"scale\": true, \"beta_initializer\": {\"class_name\": \"Zeros\", \"config\": "
                + "{}}, \"gamma_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
                + "\"moving_mean_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
                + "\"moving_variance_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
                + "\"beta_regularizer\": null, \"gamma_regularizer\": null, \"beta_constraint\": null, "
                + "\"gamma_constraint\": null}, \"inbound_nodes\": [[[\"conv1\", 0, 0, {}]]]}, "
                + activation("activation_1", "bn_conv1") + ", "
                + conv("res2a_branch2a", 1, "activation_1") + ", "
                + "{\"name\": \"add_1\", \"class_name\": \"Add\", \"config\": {\"name\": \"add_1\", \"trainable\": "
                + "false}, \"inbound_nodes\": [[[\"res2a_branch2a\", 0, 0, {}], [\"activation_1\", 0, 0, {}]]]}, "
                + activation("activation_2", "add_1") + ", "
                + "{\"name\": \"sequential_1\", \"class_name\": \"Sequential\", \"config\": {\"name\": "
                + "\"sequential_1\", \"layers\": ["
                + "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": "
                + "\"global_average_pooling2d_1\", \"trainable\": true, \"batch_input_shape\": [null, " + SIDE + ", "
                + SIDE + ", " + FILTERS + "], \"dtype\": \"float32\", \"data_format\": \"channels_last\"}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", \"trainable\": true, \"units\": "
                + UNITS + ", \"activation\": \"relu\", \"use_bias\": true, " + KERNEL_INIT + "}}, "
                + "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"dropout_1\", \"trainable\": true, "
                + "\"rate\": 0.25, \"noise_shape\": null, \"seed\": null}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_2\", \"trainable\": true, \"units\": 1, "
                + "\"activation\": \"sigmoid\", \"use_bias\": true, " + KERNEL_INIT + "}}]}, "
                + "\"inbound_nodes\": [[[\"activation_2\", 0, 0, {}]]]}], "
                + "\"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"sequential_1\", 1, 0]]}, "
                + "\"keras_version\": \"2.2.5\", \"backend\": \"tensorflow\"}";
    }

    // ---------------------------------------------------------------- the h5 file, as model.save writes it

    private record W(String name, long[] dims, float[] values) {
    }

    /** Each group of model_weights in layer order, with its weights (full names) in Keras order. */
    private Map<String, List<W>> modelWeights() {
        Map<String, List<W>> groups = new LinkedHashMap<>();
        groups.put("input_1", List.of());
        groups.put("conv1_pad", List.of());
        groups.put("conv1", List.of(new W("conv1/kernel:0", new long[] {3, 3, 3, FILTERS}, conv1Kernel),
                new W("conv1/bias:0", new long[] {FILTERS}, conv1Bias)));
        groups.put("bn_conv1", List.of(new W("bn_conv1/gamma:0", new long[] {FILTERS}, gamma),
                new W("bn_conv1/beta:0", new long[] {FILTERS}, beta),
                new W("bn_conv1/moving_mean:0", new long[] {FILTERS}, movingMean),
                new W("bn_conv1/moving_variance:0", new long[] {FILTERS}, movingVariance)));
        groups.put("activation_1", List.of());
        groups.put("res2a_branch2a", List.of(
                new W("res2a_branch2a/kernel:0", new long[] {1, 1, FILTERS, FILTERS}, branchKernel),
                new W("res2a_branch2a/bias:0", new long[] {FILTERS}, branchBias)));
        groups.put("add_1", List.of());
        groups.put("activation_2", List.of());
        groups.put("sequential_1", List.of(new W("dense_1/kernel:0", new long[] {FILTERS, UNITS}, dense1Kernel),
                new W("dense_1/bias:0", new long[] {UNITS}, dense1Bias),
                new W("dense_2/kernel:0", new long[] {UNITS, 1}, dense2Kernel),
                new W("dense_2/bias:0", new long[] {1}, dense2Bias)));
        return groups;
    }

    private void writeModelSave(Path file) {
        Map<String, List<W>> groups = modelWeights();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                scalarString(h5, "keras_version", "2.2.5");
                scalarString(h5, "backend", "tensorflow");
                scalarString(h5, "model_config", modelJson());
                scalarString(h5, "training_config", "{\"optimizer_config\": {\"class_name\": \"SGD\", \"config\": "
                        + "{\"lr\": 4.999999873689376e-05, \"momentum\": 0.8999999761581421, \"decay\": 0.0, "
                        + "\"nesterov\": false}}, \"loss\": \"binary_crossentropy\", \"metrics\": [\"accuracy\"], "
                        + "\"sample_weight_mode\": null, \"loss_weights\": null}");
                Group weights = h5.createGroup("model_weights");
                Hdf5Values.writeStrings(weights, "layer_names", new ArrayList<>(groups.keySet()));
                scalarString(weights, "backend", "tensorflow");
                scalarString(weights, "keras_version", "2.2.5");
                List<W> all = new ArrayList<>();
                for (var group : groups.entrySet()) {
                    Group g = weights.createGroup(group.getKey());
                    if (group.getValue().isEmpty()) {
                        emptyFloat64Array(g, "weight_names");
                    } else {
                        Hdf5Values.writeStrings(g, "weight_names",
                                group.getValue().stream().map(W::name).toList());
                        for (W w : group.getValue()) {
                            writeAtPath(g, w.name(), w.dims(), w.values());
                            all.add(w);
                        }
                    }
                    g.close();
                }
                weights.close();
                Group optimizer = h5.createGroup("optimizer_weights");
                List<String> names = new ArrayList<>();
                names.add("SGD/iterations:0");
                for (int i = 0; i < all.size(); i++) {
                    names.add("training/SGD/Variable_" + i + ":0");
                }
                Hdf5Values.writeStrings(optimizer, "weight_names", names);
                scalarInt64(optimizer, "SGD/iterations:0", 1234);
                for (int i = 0; i < all.size(); i++) {
                    W w = all.get(i);
                    writeAtPath(optimizer, names.get(i + 1), w.dims(), gaussian(w.values().length, 1e-3));
                }
                optimizer.close();
            } finally {
                h5.close();
            }
        }
    }

    /** A dataset at a slash-separated path below {@code group}, creating the groups on the way (as h5py does). */
    static void writeAtPath(Group group, String path, long[] dims, float[] values) {
        String[] parts = path.split("/");
        List<Group> opened = new ArrayList<>();
        Group at = group;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.nameExists(parts[i]) ? at.openGroup(parts[i]) : at.createGroup(parts[i]);
            opened.add(at);
        }
        Hdf5Values.writeFloats(at, parts[parts.length - 1], dims, values);
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** What h5py writes for {@code attrs[name] = []}: numpy's empty float64 array. */
    static void emptyFloat64Array(Group group, String name) {
        try (DataSpace space = new DataSpace(1, new long[] {0});
             DataType type = new DataType(PredType.IEEE_F64LE())) {
            Attribute attribute = group.createAttribute(name, type, space);
            attribute.close();
        }
    }

    /** What h5py writes for {@code attrs[name] = value.encode('utf8')}: a scalar fixed-length byte string. */
    static void scalarString(Group group, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try (StrType type = new StrType(PredType.C_S1(), Math.max(1, bytes.length));
             DataSpace space = new DataSpace(hdf5.H5S_SCALAR);
             BytePointer buffer = new BytePointer(bytes)) {
            Attribute attribute = group.createAttribute(name, type, space);
            attribute.write(type, (Pointer) buffer);
            attribute.close();
        }
    }

    static void scalarInt64(Group group, String path, long value) {
        String[] parts = path.split("/");
        Group at = group.nameExists(parts[0]) ? group.openGroup(parts[0]) : group.createGroup(parts[0]);
        try (DataSpace space = new DataSpace(hdf5.H5S_SCALAR);
             DataType fileType = new DataType(PredType.STD_I64LE());
             DataType memType = new DataType(PredType.NATIVE_INT64());
             LongPointer buffer = new LongPointer(new long[] {value})) {
            DataSet dataset = at.createDataSet(parts[1], fileType, space);
            dataset.write(buffer, memType);
            dataset.close();
        }
        at.close();
    }

    // ---------------------------------------------------------------- the model's function, by hand

    /** x[h][w][c], channels last; Keras semantics layer by layer. */
    private double forward(float[][][] x) {
        int padded = SIDE + 2;
        double[][][] pad = new double[padded][padded][3];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                for (int c = 0; c < 3; c++) {
                    pad[i + 1][j + 1][c] = x[i][j][c];
                }
            }
        }
        double[][][] a1 = new double[SIDE][SIDE][FILTERS];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                for (int o = 0; o < FILTERS; o++) {
                    double s = conv1Bias[o];
                    for (int ki = 0; ki < 3; ki++) {
                        for (int kj = 0; kj < 3; kj++) {
                            for (int c = 0; c < 3; c++) {
                                s += pad[i + ki][j + kj][c] * conv1Kernel[((ki * 3 + kj) * 3 + c) * FILTERS + o];
                            }
                        }
                    }
                    double bn = gamma[o] * (s - movingMean[o]) / Math.sqrt(movingVariance[o] + BN_EPSILON) + beta[o];
                    a1[i][j][o] = Math.max(0, bn);
                }
            }
        }
        double[] pooled = new double[FILTERS];
        for (int i = 0; i < SIDE; i++) {
            for (int j = 0; j < SIDE; j++) {
                for (int o = 0; o < FILTERS; o++) {
                    double branch = branchBias[o];
                    for (int c = 0; c < FILTERS; c++) {
                        branch += a1[i][j][c] * branchKernel[c * FILTERS + o];
                    }
                    pooled[o] += Math.max(0, branch + a1[i][j][o]) / (SIDE * SIDE);
                }
            }
        }
        double out = dense2Bias[0];
        for (int u = 0; u < UNITS; u++) {
            double h = dense1Bias[u];
            for (int o = 0; o < FILTERS; o++) {
                h += pooled[o] * dense1Kernel[o * UNITS + u];
            }
            out += Math.max(0, h) * dense2Kernel[u];
        }
        return 1 / (1 + Math.exp(-out));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void modelSaveFileWithBatchNormPaddingAddAndPooledNestedTopImportsAndComputesTheSameFunction() throws Exception {
        Path json = Files.writeString(dir.resolve("resnet50_model_5_up.json"), modelJson());
        Path h5 = dir.resolve("best_resnet50_model_hat.h5");
        writeModelSave(h5);
        int batch = 3;
        float[][][][] images = new float[batch][SIDE][SIDE][3];
        float[] flat = new float[batch * SIDE * SIDE * 3];
        int k = 0;
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < SIDE; i++) {
                for (int j = 0; j < SIDE; j++) {
                    for (int c = 0; c < 3; c++) {
                        images[n][i][j][c] = (float) (random.nextGaussian() * 2);
                        flat[k++] = images[n][i][j][c];
                    }
                }
            }
        }
        try (ScoringModel model = KerasModelLoader.load(new KerasModelSpec("hat", "resnet50", json, h5, 0.5))) {
            assertEquals(SIDE, model.card().encoder().inputSize());
            ComputationGraph graph = KerasModelLoader.importGraph(json, h5);
            try {
                INDArray input = Nd4j.create(flat, new long[] {batch, SIDE, SIDE, 3}, 'c');
                if (model.card().encoder().layout() == TensorLayout.NCHW) {
                    input = input.permute(0, 3, 1, 2).dup('c');
                }
                INDArray scores = graph.outputSingle(false, input);
                assertEquals(batch, scores.size(0));
                for (int n = 0; n < batch; n++) {
                    assertEquals(forward(images[n]), scores.getDouble(n, 0), 1e-5, "image " + n);
                }
            } finally {
                graph.close();
            }
        }
    }

    @Test
    void aGzippedModelSaveFileImportsToTheSameNetwork() throws Exception {
        Path json = Files.writeString(dir.resolve("model.json"), modelJson());
        Path h5 = dir.resolve("best_resnet50_model_hat.h5");
        writeModelSave(h5);
        Path gz = dir.resolve("best_resnet50_model_hat.h5.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(h5, out);
        }
        ComputationGraph plain = KerasModelLoader.importGraph(json, h5);
        ComputationGraph fromGz = KerasModelLoader.importGraph(json, gz);
        try {
            assertEquals(plain.params(), fromGz.params());
        } finally {
            plain.close();
            fromGz.close();
        }
    }

    @Test
    void weightsFlattenerReadsTheModelSaveLayoutSkippingWeightlessLayersAndOptimizerState() throws Exception {
        Path h5 = dir.resolve("saved.h5");
        writeModelSave(h5);
        List<String> layers = WeightsFileFlattener.flatten(h5, dir.resolve("flat.h5"));
        assertEquals(List.of("conv1", "bn_conv1", "res2a_branch2a", "dense_1", "dense_2"), layers);
    }
}
