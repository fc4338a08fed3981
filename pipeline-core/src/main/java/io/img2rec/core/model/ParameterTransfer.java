package io.img2rec.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies parameters between graphs layer by layer, matching layer names, parameter keys and shapes. */
public final class ParameterTransfer {

    private ParameterTransfer() {
    }

    /**
     * Fills every parameterised layer of {@code to} from the layer of the same name in {@code from}
     * (e.g. full graph → its trunk or head).
     *
     * @return names of the layers copied
     * @throws IllegalArgumentException naming the layer that is missing in {@code from} or does not fit
     */
    public static List<String> copyParams(ComputationGraph from, ComputationGraph to) {
        return copy(from, to, true);
    }

    /**
     * Copies the parameterised layers present in both graphs (e.g. a trained head back into the full graph);
     * layers of {@code to} absent from {@code from} are left as they are.
     *
     * @return names of the layers copied
     * @throws IllegalArgumentException naming a layer present in both whose parameters do not fit
     */
    public static List<String> copyMatchingParams(ComputationGraph from, ComputationGraph to) {
        return copy(from, to, false);
    }

    private static List<String> copy(ComputationGraph from, ComputationGraph to, boolean requireAll) {
        List<String> copied = new ArrayList<>();
        Map<String, Layer> sources = new java.util.HashMap<>();
        for (Layer layer : from.getLayers()) {
            sources.put(layer.conf().getLayer().getLayerName(), layer);
        }
        for (Layer target : to.getLayers()) {
            Map<String, INDArray> targetParams = target.paramTable();
            if (targetParams.isEmpty()) {
                continue;
            }
            String name = target.conf().getLayer().getLayerName();
            Layer source = sources.get(name); // ComputationGraph.getLayer throws for unknown names
            if (source == null) {
                if (requireAll) {
                    throw new IllegalArgumentException("layer '" + name + "' of the target graph has no namesake in "
                            + "the source graph");
                }
                continue;
            }
            Map<String, INDArray> sourceParams = source.paramTable();
            if (!sourceParams.keySet().equals(targetParams.keySet())) {
                throw new IllegalArgumentException("layer '" + name + "': source has parameters "
                        + sourceParams.keySet() + ", target has " + targetParams.keySet());
            }
            for (Map.Entry<String, INDArray> e : targetParams.entrySet()) {
                INDArray src = sourceParams.get(e.getKey());
                if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                    throw new IllegalArgumentException("layer '" + name + "' parameter '" + e.getKey() + "': source "
                            + "shape " + Arrays.toString(src.shape()) + " does not fit target shape "
                            + Arrays.toString(e.getValue().shape()));
                }
            }
            targetParams.forEach((key, dst) -> dst.assign(sourceParams.get(key)));
            copied.add(name);
        }
        return copied;
    }
}
