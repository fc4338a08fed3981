package io.img2rec.serve.keras;

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
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a Keras weights h5 ({@code save_weights}, or the {@code model_weights} group of {@code model.save}) so
 * that each weight sits under the layer that owns it. Keras stores a nested model's weights in one group named after
 * the nested model ({@code sequential_1}) whose {@code weight_names} are {@code dense_1/kernel:0}, …; after flattening
 * the model, DL4J looks for a group per layer ({@code dense_1}, with {@code dense_1/kernel:0} inside). Every weight
 * {@code G/W} becomes {@code L/W} where {@code L} is the first segment of {@code W}: unchanged for ordinary layers,
 * split up for nested models. Values are copied as float32 in their Keras layout. HDF5 calls are serialised on DL4J's
 * HDF5 lock.
 */
public final class WeightsFileFlattener {
    static {
        Loader.load(hdf5.class);
    }

    private WeightsFileFlattener() {
    }

    private record Weight(String name, long[] dims, float[] values) {
    }

    /** Writes the flattened copy of {@code source} to {@code target}; returns the layers written, in order. */
    public static List<String> flatten(Path source, Path target) throws KerasImportException {
        if (!Files.isRegularFile(source)) {
            throw new KerasImportException("weights file " + source + " does not exist");
        }
        Map<String, List<Weight>> layers = new LinkedHashMap<>();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!H5File.isHdf5(source.toString())) {
                throw new KerasImportException(source + " is not an HDF5 file (expected the Keras weights .h5)");
            }
            H5File in = new H5File(source.toString(), hdf5.H5F_ACC_RDONLY());
            try {
                Group root = in.nameExists("model_weights") ? in.openGroup("model_weights") : in;
                try {
                    if (!root.attrExists("layer_names")) {
                        throw new KerasImportException(source + " has no 'layer_names' attribute: not a Keras weights file");
                    }
                    for (String group : readStrings(root, "layer_names")) {
                        Group g = root.openGroup(group);
                        try {
                            List<String> weightNames = g.attrExists("weight_names") ? readStrings(g, "weight_names")
                                    : List.of();
                            for (String w : weightNames) {
                                String owner = w.contains("/") ? w.substring(0, w.indexOf('/')) : group;
                                String dataset = w.contains("/") ? w : group + "/" + w;
                                layers.computeIfAbsent(owner, k -> new ArrayList<>())
                                        .add(readFloats(g, w, dataset.substring(owner.length() + 1)));
                            }
                        } finally {
                            g.close();
                        }
                    }
                } finally {
                    if (root != in) {
                        root.close();
                    }
                }
            } catch (RuntimeException e) {
                throw new KerasImportException("cannot read Keras weights " + source + ": " + e.getMessage(), e);
            } finally {
                in.close();
            }
            H5File out = new H5File(target.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                writeStrings(out, "layer_names", new ArrayList<>(layers.keySet()));
                for (var layer : layers.entrySet()) {
                    Group group = out.createGroup(layer.getKey());
                    Group inner = group.createGroup(layer.getKey());
                    List<String> names = new ArrayList<>();
                    for (Weight w : layer.getValue()) {
                        names.add(layer.getKey() + "/" + w.name());
                        writeFloats(inner, w.name(), w.dims(), w.values());
                    }
                    writeStrings(group, "weight_names", names);
                    inner.close();
                    group.close();
                }
            } catch (RuntimeException e) {
                throw new KerasImportException("cannot write flattened weights " + target + ": " + e.getMessage(), e);
            } finally {
                out.close();
            }
        }
        return List.copyOf(layers.keySet());
    }

    /** Reads dataset {@code path} below {@code group}; the weight keeps the name after its owner's segment. */
    private static Weight readFloats(Group group, String path, String shortName) {
        DataSet dataset = group.openDataSet(path);
        DataSpace space = dataset.getSpace();
        try {
            long[] dims = new long[space.getSimpleExtentNdims()];
            space.getSimpleExtentDims(dims);
            long n = space.getSimpleExtentNpoints();
            float[] values = new float[Math.toIntExact(n)];
            try (FloatPointer buffer = new FloatPointer(n);
                 DataType type = new DataType(PredType.NATIVE_FLOAT())) {
                dataset.read(buffer, type);
                buffer.get(values);
            }
            return new Weight(shortName, dims, values);
        } finally {
            space.close();
            dataset.close();
        }
    }

    static void writeFloats(Group group, String name, long[] dims, float[] values) {
        try (DataSpace space = new DataSpace(dims.length, dims);
             DataType fileType = new DataType(PredType.IEEE_F32LE());
             DataType memType = new DataType(PredType.NATIVE_FLOAT());
             FloatPointer buffer = new FloatPointer(values)) {
            DataSet dataset = group.createDataSet(name, fileType, space);
            dataset.write(buffer, memType);
            dataset.close();
        }
    }

    /** Fixed-length byte strings, as h5py writes a numpy 'S' array. */
    static void writeStrings(Group group, String name, List<String> values) {
        int size = 1;
        for (String v : values) {
            size = Math.max(size, v.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[] bytes = new byte[Math.max(1, values.size()) * size];
        for (int i = 0; i < values.size(); i++) {
            byte[] v = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(v, 0, bytes, i * size, v.length);
        }
        try (StrType type = new StrType(PredType.C_S1(), size);
             DataSpace space = new DataSpace(1, new long[] {values.size()});
             BytePointer buffer = new BytePointer(bytes)) {
            Attribute attribute = group.createAttribute(name, type, space);
            attribute.write(type, (Pointer) buffer);
            attribute.close();
        }
    }

    /** Reads a one-dimensional fixed- or variable-length string attribute. */
    static List<String> readStrings(Group group, String name) {
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
                try (org.bytedeco.javacpp.PointerPointer<BytePointer> pointers = new org.bytedeco.javacpp.PointerPointer<>(n)) {
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
                attribute.read(type, (Pointer) buffer);
                buffer.get(bytes);
            }
            for (int i = 0; i < n; i++) {
                int end = i * size;
                while (end < (i + 1) * size && bytes[end] != 0) {
                    end++;
                }
                out.add(new String(bytes, i * size, end - i * size, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            space.close();
            type.close();
            attribute.close();
        }
    }
}
