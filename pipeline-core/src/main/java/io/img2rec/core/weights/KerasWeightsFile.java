package io.img2rec.core.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the weights of a Keras {@code save_weights} h5 file (or the {@code model_weights} group of a
 * {@code model.save} file) as Keras stores them: one group per layer name with the attribute {@code weight_names}
 * listing its datasets ({@code <layer>/<layer>/kernel:0}, …); arrays keep Keras' layout (conv kernel
 * {@code [kh, kw, in, out]}, dense kernel {@code [in, out]}). Layers without a {@code weight_names} attribute are
 * read by listing their datasets. HDF5 calls are serialised on DL4J's {@link Hdf5Archive#LOCK_OBJECT}.
 */
public final class KerasWeightsFile {

    /** Group of a full {@code model.save} file that holds the weights. */
    static final String MODEL_WEIGHTS_GROUP = "model_weights";

    static {
        Loader.load(hdf5.class);
    }

    private KerasWeightsFile() {
    }

    /** The weights of one layer, by role, in Keras layout. */
    public record LayerWeights(String layer, Map<KerasWeightRole, INDArray> arrays) {
    }

    /** The layers a file holds, and the weights of those asked for. */
    public record Contents(List<String> fileLayers, Map<String, LayerWeights> layers) {
    }

    /**
     * @param file   a Keras weights h5
     * @param wanted names of the layers to read; those absent from the file are left out of the result
     * @throws WeightsException if the file is not HDF5 or a dataset's name is not a known Keras weight
     */
    public static Contents read(Path file, Collection<String> wanted) throws WeightsException {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("Keras weights file " + file + " does not exist");
        }
        try (Hdf5Input input = Hdf5Input.of(file)) {
            return readHdf5(input, wanted);
        } catch (java.io.IOException e) {
            throw new WeightsException("cannot read Keras weights file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Contents readHdf5(Hdf5Input input, Collection<String> wanted) throws WeightsException {
        Path file = input.path();
        String described = input.describe();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!H5File.isHdf5(file.toString())) {
                throw new WeightsException(described + " is not an HDF5 file: expected Keras weights saved with "
                        + "model.save_weights or model.save (e.g. vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5, "
                        + "or the same gzip-compressed as .h5.gz)");
            }
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_RDONLY());
            try {
                Group root = h5.nameExists(MODEL_WEIGHTS_GROUP) ? h5.openGroup(MODEL_WEIGHTS_GROUP) : h5;
                try {
                    List<String> fileLayers = children(root, hdf5.H5O_TYPE_GROUP);
                    Map<String, LayerWeights> layers = new LinkedHashMap<>();
                    for (String name : wanted) {
                        if (fileLayers.contains(name)) {
                            layers.put(name, readLayer(Path.of(described), root, name));
                        }
                    }
                    return new Contents(List.copyOf(fileLayers), layers);
                } finally {
                    if (root != h5) {
                        root.close();
                    }
                }
            } catch (RuntimeException e) {
                throw new WeightsException("cannot read Keras weights file " + described + ": " + e.getMessage(), e);
            } finally {
                h5.close();
            }
        }
    }

    private static LayerWeights readLayer(Path file, Group root, String layer) throws WeightsException {
        Group group = root.openGroup(layer);
        try {
            List<String> datasets = group.attrExists("weight_names") ? Hdf5Values.readStrings(group, "weight_names")
                    : datasetsBelow(group, "");
            Map<KerasWeightRole, INDArray> arrays = new EnumMap<>(KerasWeightRole.class);
            for (String dataset : datasets) {
                KerasWeightRole role = KerasWeightRole.ofDatasetName(dataset).orElseThrow(() -> new WeightsException(
                        "layer '" + layer + "' of " + file + ": dataset '" + dataset + "' is not a known Keras weight "
                                + "(kernel, bias, gamma, beta, moving_mean, moving_variance)"));
                if (arrays.put(role, readArray(group, dataset)) != null) {
                    throw new WeightsException("layer '" + layer + "' of " + file + " has two " + role + " datasets");
                }
            }
            return new LayerWeights(layer, arrays);
        } finally {
            group.close();
        }
    }

    /** Reads a float32 dataset as an array of the same shape (a scalar for a rank-0 dataset). */
    private static INDArray readArray(Group group, String path) {
        Hdf5Values.FloatArray array = Hdf5Values.readFloats(group, path);
        float[] values = array.values();
        return array.dims().length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, array.dims(), 'c');
    }

    private static List<String> datasetsBelow(Group group, String prefix) {
        List<String> out = new ArrayList<>();
        for (String child : children(group, hdf5.H5O_TYPE_DATASET)) {
            out.add(prefix + child);
        }
        for (String child : children(group, hdf5.H5O_TYPE_GROUP)) {
            Group sub = group.openGroup(child);
            try {
                out.addAll(datasetsBelow(sub, prefix + child + "/"));
            } finally {
                sub.close();
            }
        }
        return out;
    }

    private static List<String> children(Group group, int objectType) {
        List<String> out = new ArrayList<>();
        long count = group.getNumObjs();
        for (long i = 0; i < count; i++) {
            try (BytePointer name = group.getObjnameByIdx(i)) {
                if (group.childObjType(name) == objectType) {
                    out.add(name.getString());
                }
            }
        }
        return out;
    }
}
