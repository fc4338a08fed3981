package io.img2rec.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;

import java.util.Collection;
import java.util.Map;

/** Counts the multiply-adds of one image through a graph's convolution and dense layers (the arithmetic that matters). */
final class MultiplyAdds {
    private MultiplyAdds() {
    }

    static long perImage(ComputationGraphConfiguration conf, InputType input) {
        return perImage(conf, input, conf.getVertices().keySet());
    }

    /** The multiply-adds of the named vertices only (e.g. the trainable part of a freeze plan). */
    static long perImage(ComputationGraphConfiguration conf, InputType input, Collection<String> vertices) {
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        long total = 0;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex vertex) || !vertices.contains(e.getKey())) {
                continue;
            }
            Layer layer = vertex.getLayerConf().getLayer();
            InputType out = types.get(e.getKey());
            if (layer instanceof ConvolutionLayer conv && out instanceof InputType.InputTypeConvolutional c) {
                int[] k = conv.getKernelSize();
                total += c.getHeight() * c.getWidth() * conv.getNOut() * k[0] * k[1] * conv.getNIn();
            } else if (layer instanceof DenseLayer dense) {
                total += dense.getNIn() * dense.getNOut();
            } else if (layer instanceof OutputLayer output) {
                total += output.getNIn() * output.getNOut();
            }
        }
        return total;
    }
}
