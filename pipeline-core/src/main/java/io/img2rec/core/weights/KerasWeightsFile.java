package io.img2rec.core.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
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
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!H5File.isHdf5(file.toString())) {
                throw new WeightsException(file + " is not an HDF5 file: expected Keras weights saved with "
                        + "model.save_weights (e.g. " + "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5)");
            }
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_RDONLY());
            try {
                Group root = h5.nameExists(MODEL_WEIGHTS_GROUP) ? h5.openGroup(MODEL_WEIGHTS_GROUP) : h5;
                try {
                    List<String> fileLayers = children(root, hdf5.H5O_TYPE_GROUP);
                    Map<String, LayerWeights> layers = new LinkedHashMap<>();
                    for (String name : wanted) {
                        if (fileLayers.contains(name)) {
                            layers.put(name, readLayer(file, root, name));
                        }
                    }
                    return new Contents(List.copyOf(fileLayers), layers);
                } finally {
                    if (root != h5) {
                        root.close();
                    }
                }
            } catch (RuntimeException e) {
                throw new WeightsException("cannot read Keras weights file " + file + ": " + e.getMessage(), e);
            } finally {
                h5.close();
            }
        }
    }

    private static LayerWeights readLayer(Path file, Group root, String layer) throws WeightsException {
        Group group = root.openGroup(layer);
        try {
            List<String> datasets = group.attrExists("weight_names") ? readStrings(group, "weight_names")
                    : datasetsBelow(group, "");
            Map<KerasWeightRole, INDArray> arrays = new EnumMap<>(KerasWeightRole.class);
            for (String dataset : datasets) {
                KerasWeightRole role = KerasWeightRole.ofDatasetName(dataset).orElseThrow(() -> new WeightsException(
                        "layer '" + layer + "' of " + file + ": dataset '" + dataset + "' is not a known Keras weight "
                                + "(kernel, bias, gamma, beta, moving_mean, moving_variance)"));
                if (arrays.put(role, readFloats(group, dataset)) != null) {
                    throw new WeightsException("layer '" + layer + "' of " + file + " has two " + role + " datasets");
                }
            }
            return new LayerWeights(layer, arrays);
        } finally {
            group.close();
        }
    }

    private static INDArray readFloats(Group group, String path) {
        DataSet dataset = group.openDataSet(path);
        DataSpace space = dataset.getSpace();
        try {
            long[] dims = new long[space.getSimpleExtentNdims()];
            space.getSimpleExtentDims(dims);
            long n = space.getSimpleExtentNpoints();
            if (n > Integer.MAX_VALUE) {
                throw new IllegalStateException("dataset " + path + " has " + n + " elements, too many for one array");
            }
            float[] values = new float[(int) n];
            try (FloatPointer buffer = new FloatPointer(n);
                 DataType type = new DataType(PredType.NATIVE_FLOAT())) {
                dataset.read(buffer, type);
                buffer.get(values);
            }
            return dims.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, dims, 'c');
        } finally {
            space.close();
            dataset.close();
        }
    }

    /** Reads a one-dimensional string attribute, fixed-length (as h5py writes numpy byte strings) or variable. */
    private static List<String> readStrings(Group group, String name) {
        Attribute attribute = group.openAttribute(name);
        StrType type = attribute.getStrType();
        DataSpace space = attribute.getSpace();
        try {
            int n = (int) space.getSimpleExtentNpoints();
            List<String> out = new ArrayList<>(n);
            if (n == 0) {
                return out;
            }
            if (type.isVariableStr()) {
                try (PointerPointer<BytePointer> pointers = new PointerPointer<>(n)) {
                    attribute.read(type, pointers);
                    for (int i = 0; i < n; i++) {
                        out.add(pointers.getString(i));
                    }
                }
                return out;
            }
            int size = (int) type.getSize();
            byte[] bytes = new byte[n * size];
            try (BytePointer buffer = new BytePointer((long) n * size)) {
                attribute.read(type, (Pointer) buffer); // the BytePointer overload is std::string's
                buffer.get(bytes);
            }
            for (int i = 0; i < n; i++) {
                int end = i * size;
                while (end < (i + 1) * size && bytes[end] != 0) {
                    end++;
                }
                out.add(new String(bytes, i * size, end - i * size, java.nio.charset.StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            space.close();
            type.close();
            attribute.close();
        }
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
