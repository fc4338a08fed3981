package io.img2rec.serve.keras;

import io.img2rec.core.weights.Hdf5Input;
import io.img2rec.core.weights.Hdf5Values;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

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
        try (Hdf5Input input = Hdf5Input.of(source)) { // a .h5.gz is read from a decompressed copy
            return flattenHdf5(input.path(), input.describe(), target);
        } catch (java.io.IOException e) {
            throw new KerasImportException("cannot read Keras weights " + source + ": " + e.getMessage(), e);
        }
    }

    private static List<String> flattenHdf5(Path source, String described, Path target) throws KerasImportException {
        Map<String, List<Weight>> layers = new LinkedHashMap<>();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!H5File.isHdf5(source.toString())) {
                throw new KerasImportException(described + " is not an HDF5 file (expected the Keras weights .h5, or the "
                        + "same gzip-compressed as .h5.gz)");
            }
            H5File in = new H5File(source.toString(), hdf5.H5F_ACC_RDONLY());
            try {
                Group root = in.nameExists("model_weights") ? in.openGroup("model_weights") : in;
                try {
                    if (!root.attrExists("layer_names")) {
                        throw new KerasImportException(described + " has no 'layer_names' attribute: not a Keras weights file");
                    }
                    for (String group : Hdf5Values.readStrings(root, "layer_names")) {
                        Group g = root.openGroup(group);
                        try {
                            List<String> weightNames = g.attrExists("weight_names") ? Hdf5Values.readStrings(g, "weight_names")
                                    : List.of();
                            for (String w : weightNames) {
                                String owner = w.contains("/") ? w.substring(0, w.indexOf('/')) : group;
                                String dataset = w.contains("/") ? w : group + "/" + w;
                                layers.computeIfAbsent(owner, k -> new ArrayList<>())
                                        .add(readWeight(g, w, dataset.substring(owner.length() + 1)));
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
                throw new KerasImportException("cannot read Keras weights " + described + ": " + e.getMessage(), e);
            } finally {
                in.close();
            }
            H5File out = new H5File(target.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                Hdf5Values.writeStrings(out, "layer_names", new ArrayList<>(layers.keySet()));
                for (var layer : layers.entrySet()) {
                    Group group = out.createGroup(layer.getKey());
                    Group inner = group.createGroup(layer.getKey());
                    List<String> names = new ArrayList<>();
                    for (Weight w : layer.getValue()) {
                        names.add(layer.getKey() + "/" + w.name());
                        Hdf5Values.writeFloats(inner, w.name(), w.dims(), w.values());
                    }
                    Hdf5Values.writeStrings(group, "weight_names", names);
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
    private static Weight readWeight(Group group, String path, String shortName) {
        Hdf5Values.FloatArray array = Hdf5Values.readFloats(group, path);
        return new Weight(shortName, array.dims(), array.values());
    }
}
