package io.img2rec.core.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.Loader;
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
                Hdf5Values.writeStrings(h5, "layer_names", new ArrayList<>(layers.keySet()));
                for (Map.Entry<String, Map<String, INDArray>> layer : layers.entrySet()) {
                    String name = layer.getKey();
                    Group group = h5.createGroup(name);
                    Group inner = group.createGroup(name);
                    List<String> weightNames = new ArrayList<>();
                    for (Map.Entry<String, INDArray> w : layer.getValue().entrySet()) {
                        weightNames.add(name + "/" + w.getKey());
                        INDArray array = w.getValue();
                        Hdf5Values.writeFloats(inner, w.getKey(), array.shape(), array.dup('c').data().asFloat());
                    }
                    Hdf5Values.writeStrings(group, "weight_names", weightNames);
                    inner.close();
                    group.close();
                }
            } finally {
                h5.close();
            }
        }
    }
}
