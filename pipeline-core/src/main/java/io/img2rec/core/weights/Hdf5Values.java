package io.img2rec.core.weights;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * Reads and writes the two kinds of HDF5 value a Keras weights file holds: one-dimensional string attributes
 * ({@code layer_names}, {@code weight_names}) and float32 datasets (the weights, row-major). The caller opens and closes
 * the file and groups, and holds DL4J's {@link Hdf5Archive#LOCK_OBJECT} around every call, as all HDF5 use here must.
 */
public final class Hdf5Values {

    static {
        Loader.load(hdf5.class);
    }

    private Hdf5Values() {
    }

    /** A float32 dataset as read: its dimensions and its values in row-major order. */
    public record FloatArray(long[] dims, float[] values) {
    }

    /**
     * Reads a one-dimensional string attribute of {@code group}, fixed-length (as h5py writes numpy byte strings) or
     * variable-length; fixed-length values end at their first NUL byte.
     */
    public static List<String> readStrings(Group group, String name) {
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
                out.add(new String(bytes, i * size, end - i * size, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            space.close();
            type.close();
            attribute.close();
        }
    }

    /**
     * Writes {@code values} as attribute {@code name} of {@code group}: fixed-length byte strings as wide as the longest
     * UTF-8 value (at least one byte), as h5py writes a numpy {@code S} array.
     */
    public static void writeStrings(Group group, String name, List<String> values) {
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
            attribute.write(type, (Pointer) buffer); // the BytePointer overload is std::string's
            attribute.close();
        }
    }

    /**
     * Reads dataset {@code path} below {@code group} as float32.
     *
     * @throws IllegalStateException if the dataset has more elements than one Java array holds
     */
    public static FloatArray readFloats(Group group, String path) {
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
            return new FloatArray(dims, values);
        } finally {
            space.close();
            dataset.close();
        }
    }

    /** Writes {@code values} (row-major) as a little-endian float32 dataset {@code name} of shape {@code dims}. */
    public static void writeFloats(Group group, String name, long[] dims, float[] values) {
        try (DataSpace space = new DataSpace(dims.length, dims);
             DataType fileType = new DataType(PredType.IEEE_F32LE());
             DataType memType = new DataType(PredType.NATIVE_FLOAT());
             FloatPointer buffer = new FloatPointer(values)) {
            DataSet dataset = group.createDataSet(name, fileType, space);
            dataset.write(buffer, memType);
            dataset.close();
        }
    }
}
