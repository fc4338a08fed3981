package io.img2rec.serve.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.serve.predict.Dl4jScoringModel;
import io.img2rec.serve.predict.ModelCard;
import io.img2rec.serve.predict.ScoringModel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Imports one model of the original Keras project through DL4J's Keras import: the JSON is flattened
 * ({@link NestedModelFlattener}), the weights regrouped to match ({@link WeightsFileFlattener}), both written to a
 * private temporary folder, imported with {@code KerasModelImport.importKerasModelAndWeights(json, h5, false)}, and
 * the folder deleted. The result scores crops like any other model.
 */
public final class KerasModelLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasModelLoader() {
    }

    /** The imported network alone (for tests and conversions). */
    public static ComputationGraph importGraph(Path modelJson, Path weights) throws KerasImportException {
        String json;
        try {
            json = Files.readString(modelJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KerasImportException("cannot read model JSON " + modelJson + ": " + e.getMessage(), e);
        }
        NestedModelFlattener.Flattened flat;
        try {
            flat = NestedModelFlattener.flatten(json);
        } catch (KerasImportException e) {
            throw new KerasImportException(modelJson + ": " + e.getMessage(), e);
        }
        Path temp = null;
        try {
            temp = Files.createTempDirectory("img2rec-keras-");
            Path flatJson = temp.resolve("model.json");
            Path flatWeights = temp.resolve("weights.h5");
            Files.writeString(flatJson, flat.json(), StandardCharsets.UTF_8);
            WeightsFileFlattener.flatten(weights, flatWeights);
            return KerasModelImport.importKerasModelAndWeights(flatJson.toString(), flatWeights.toString(), false);
        } catch (IOException | InvalidKerasConfigurationException | UnsupportedKerasConfigurationException
                 | RuntimeException e) {
            throw new KerasImportException("DL4J could not import " + modelJson + " with " + weights + " (after "
                    + "flattening nested models " + flat.nestedLayers().keySet() + "): " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Imports a model and wraps it with its card. */
    public static ScoringModel load(KerasModelSpec spec) throws KerasImportException {
        int inputSize = inputSize(spec.modelJson());
        ComputationGraph graph = importGraph(spec.modelJson(), spec.weights());
        TensorLayout layout = layoutOf(graph);
        long outputs = graph.getConfiguration().getNetworkOutputs().size();
        if (outputs != 1) {
            graph.close();
            throw new KerasImportException(spec.modelJson() + ": expected one output (the label's sigmoid), found "
                    + outputs);
        }
        String name = "keras-" + spec.architecture() + "-" + spec.label();
        ModelCard card = new ModelCard(name, spec.architecture(), List.of(spec.label()),
                Map.of(spec.label(), spec.threshold()),
                new InputEncoder(inputSize, spec.preprocessing(), spec.resize(), layout), "");
        return new Dl4jScoringModel(card, graph);
    }

    /** The square input side from the input layer's {@code batch_input_shape} [null, h, w, 3]. */
    static int inputSize(Path modelJson) throws KerasImportException {
        try {
            JsonNode root = JSON.readTree(modelJson.toFile());
            for (JsonNode layer : root.path("config").path("layers")) {
                if (layer.path("class_name").asText().equals("InputLayer")) {
                    JsonNode shape = layer.path("config").path("batch_input_shape");
                    if (shape.size() == 4 && shape.get(1).asInt() == shape.get(2).asInt() && shape.get(1).asInt() > 0
                            && shape.get(3).asInt() == 3) {
                        return shape.get(1).asInt();
                    }
                    throw new KerasImportException(modelJson + ": input shape " + shape + " is not [null, n, n, 3] "
                            + "(square, channels last)");
                }
            }
            throw new KerasImportException(modelJson + ": no InputLayer found");
        } catch (IOException e) {
            throw new KerasImportException("cannot read model JSON " + modelJson + ": " + e.getMessage(), e);
        }
    }

    private static TensorLayout layoutOf(ComputationGraph graph) {
        for (var layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer conv) {
                return conv.getCnn2dDataFormat() == CNN2DFormat.NCHW ? TensorLayout.NCHW : TensorLayout.NHWC;
            }
        }
        return TensorLayout.NHWC;
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
