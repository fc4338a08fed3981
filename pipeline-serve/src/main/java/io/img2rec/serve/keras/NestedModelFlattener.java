package io.img2rec.serve.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a Keras 2 functional-model JSON so that every layer that is itself a {@code Sequential} model (the
 * original project's {@code sequential_1} top) is replaced by its own layers, chained in order: the first inner
 * layer takes the nested model's inputs, and every reference to the nested model (by later layers or as a model
 * output) now points at its last inner layer, node 0. DL4J's Keras import cannot read a model nested as a layer;
 * the flattened model computes the same function. Nested functional models, shared (multiply-called) nested models
 * and deeper nesting are refused with a clear message.
 */
public final class NestedModelFlattener {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The flattened JSON, and for each nested model the names of its inner layers, in order. */
    public record Flattened(String json, Map<String, List<String>> nestedLayers) {
    }

    private NestedModelFlattener() {
    }

    public static Flattened flatten(String modelJson) throws KerasImportException {
        JsonNode root;
        try {
            root = JSON.readTree(modelJson);
        } catch (IOException e) {
            throw new KerasImportException("model JSON is not valid JSON: " + e.getMessage(), e);
        }
        String className = root.path("class_name").asText();
        if (!className.equals("Model") && !className.equals("Functional")) {
            throw new KerasImportException("expected a functional model (class_name Model or Functional), found '"
                    + className + "'");
        }
        JsonNode layers = root.path("config").path("layers");
        if (!layers.isArray()) {
            throw new KerasImportException("model JSON has no config.layers array");
        }
        ArrayNode flat = JSON.createArrayNode();
        Map<String, String> lastInner = new HashMap<>();
        Map<String, List<String>> nested = new LinkedHashMap<>();
        for (JsonNode layer : layers) {
            String layerClass = layer.path("class_name").asText();
            String name = layer.path("name").asText(layer.path("config").path("name").asText());
            if (layerClass.equals("Model") || layerClass.equals("Functional")) {
                throw new KerasImportException("layer '" + name + "' is a nested functional model; only a nested "
                        + "Sequential (such as the original's sequential_1 top) can be flattened");
            }
            if (!layerClass.equals("Sequential")) {
                flat.add(layer.deepCopy());
                continue;
            }
            JsonNode inbound = layer.path("inbound_nodes");
            if (!inbound.isArray() || inbound.size() != 1) {
                throw new KerasImportException("nested model '" + name + "' is called " + inbound.size()
                        + " times; only a nested model called once can be flattened");
            }
            JsonNode config = layer.path("config");
            JsonNode innerLayers = config.isArray() ? config : config.path("layers"); // Keras <2.2.3 wrote a list
            if (!innerLayers.isArray() || innerLayers.isEmpty()) {
                throw new KerasImportException("nested model '" + name + "' has no layers");
            }
            List<String> names = new java.util.ArrayList<>();
            String previous = null;
            for (JsonNode inner : innerLayers) {
                String innerClass = inner.path("class_name").asText();
                if (innerClass.equals("Sequential") || innerClass.equals("Model") || innerClass.equals("Functional")) {
                    throw new KerasImportException("nested model '" + name + "' itself nests a model; one level of "
                            + "nesting is supported");
                }
                ObjectNode innerConfig = ((ObjectNode) inner.path("config")).deepCopy();
                innerConfig.remove("batch_input_shape"); // an input shape inside the model would start a new input
                String innerName = innerConfig.path("name").asText();
                ObjectNode out = JSON.createObjectNode();
                out.put("name", innerName);
                out.put("class_name", innerClass);
                out.set("config", innerConfig);
                if (previous == null) {
                    out.set("inbound_nodes", inbound.deepCopy());
                } else {
                    out.set("inbound_nodes", JSON.createArrayNode().add(JSON.createArrayNode()
                            .add(JSON.createArrayNode().add(previous).add(0).add(0).add(JSON.createObjectNode()))));
                }
                flat.add(out);
                names.add(innerName);
                previous = innerName;
            }
            lastInner.put(name, previous);
            nested.put(name, List.copyOf(names));
        }
        for (JsonNode layer : flat) {
            for (JsonNode node : layer.path("inbound_nodes")) {
                redirect(node, lastInner);
            }
        }
        ObjectNode out = root.deepCopy();
        ObjectNode outConfig = (ObjectNode) out.path("config");
        outConfig.set("layers", flat);
        redirect(outConfig.path("output_layers"), lastInner);
        redirect(outConfig.path("input_layers"), lastInner);
        try {
            return new Flattened(JSON.writeValueAsString(out), nested);
        } catch (IOException e) {
            throw new KerasImportException("cannot write the flattened model JSON: " + e.getMessage(), e);
        }
    }

    /** Each entry [name, nodeIndex, tensorIndex, ...] naming a nested model now names its last layer, node 0. */
    private static void redirect(JsonNode entries, Map<String, String> lastInner) {
        if (!entries.isArray()) {
            return;
        }
        for (JsonNode entry : entries) {
            if (entry.isArray() && entry.size() >= 2 && entry.get(0).isTextual()
                    && lastInner.containsKey(entry.get(0).asText())) {
                ((ArrayNode) entry).set(0, JSON.getNodeFactory().textNode(lastInner.get(entry.get(0).asText())));
                ((ArrayNode) entry).set(1, JSON.getNodeFactory().numberNode(0));
            }
        }
    }
}
