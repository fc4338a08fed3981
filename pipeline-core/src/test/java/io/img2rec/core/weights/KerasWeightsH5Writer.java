package io.img2rec.core.weights;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes weights the way Keras 2.2's {@code save_weights} lays them out: root attribute {@code layer_names}; per
 * layer a group with attribute {@code weight_names} ({@code <layer>/kernel:0}, …, fixed-length byte strings as h5py
 * writes a numpy {@code S} array) and each weight as dataset {@code <layer>/<layer>/kernel:0} (the name's slash makes
 * h5py create the inner group). Arrays are written in Keras layout as given (row-major float32).
 */
final class KerasWeightsH5Writer {

    static {
        Loader.load(hdf5.class);
    }

    private final Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();

    /** Adds a layer with weights named e.g. {@code kernel:0}, {@code bias:0} (insertion order kept). */
    KerasWeightsH5Writer layer(String name, Map<String, INDArray> weights) {
        layers.put(name, new LinkedHashMap<>(weights));
        return this;
    }

    void write(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                writeStrings(h5, "layer_names", new ArrayList<>(layers.keySet()));
                for (Map.Entry<String, Map<String, INDArray>> layer : layers.entrySet()) {
                    String name = layer.getKey();
                    Group group = h5.createGroup(name);
                    Group inner = group.createGroup(name);
                    List<String> weightNames = new ArrayList<>();
                    for (Map.Entry<String, INDArray> w : layer.getValue().entrySet()) {
                        weightNames.add(name + "/" + w.getKey());
                        writeFloats(inner, w.getKey(), w.getValue());
                    }
                    writeStrings(group, "weight_names", weightNames);
                    inner.close();
                    group.close();
                }
            } finally {
                h5.close();
            }
        }
    }

    private static void writeFloats(Group group, String name, INDArray array) {
        long[] dims = array.shape();
        float[] values = array.dup('c').data().asFloat();
        try (DataSpace space = new DataSpace(dims.length, dims);
             DataType fileType = new DataType(PredType.IEEE_F32LE());
             DataType memType = new DataType(PredType.NATIVE_FLOAT());
             FloatPointer buffer = new FloatPointer(values)) {
            DataSet dataset = group.createDataSet(name, fileType, space);
            dataset.write(buffer, memType);
            dataset.close();
        }
    }

    private static void writeStrings(Group group, String name, List<String> values) {
        int size = 1;
        for (String v : values) {
            size = Math.max(size, v.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[] bytes = new byte[values.size() * size];
        for (int i = 0; i < values.size(); i++) {
            byte[] v = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(v, 0, bytes, i * size, v.length);
        }
        try (StrType type = new StrType(PredType.C_S1(), size);
             DataSpace space = new DataSpace(1, new long[] {values.size()});
             BytePointer buffer = new BytePointer(bytes)) {
            Attribute attribute = group.createAttribute(name, type, space);
            attribute.write(type, (Pointer) buffer); // the BytePointer overload is std::string's
            attribute.close();
        }
    }
}
