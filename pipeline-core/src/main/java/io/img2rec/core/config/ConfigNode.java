package io.img2rec.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A section of a YAML tree being read into records: typed getters with defaults that record a
 * problem (key, bad value, what is allowed) instead of throwing, and a check for keys nobody read.
 */
final class ConfigNode {
    private final ObjectNode node;
    private final String prefix;
    private final List<String> problems;
    private final Set<String> read = new HashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    ConfigNode(ObjectNode node, String prefix, List<String> problems) {
        this.node = node;
        this.prefix = prefix;
        this.problems = problems;
    }

    private String key(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private JsonNode take(String name) {
        read.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    private void problem(String name, JsonNode value, String allowed) {
        problems.add(key(name) + " = " + render(value) + " is not allowed: " + allowed);
    }

    private static String render(JsonNode value) {
        return value.isTextual() ? "'" + value.asText() + "'" : value.toString();
    }

    ConfigNode section(String name) {
        JsonNode value = take(name);
        ObjectNode child;
        if (value == null) {
            child = node.objectNode();
        } else if (value.isObject()) {
            child = (ObjectNode) value;
        } else {
            problem(name, value, "a section of keys (key: value lines indented below it)");
            child = node.objectNode();
        }
        var section = new ConfigNode(child, key(name), problems);
        children.add(section);
        return section;
    }

    String string(String name, String fallback) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            problem(name, value, "a non-empty text value");
            return fallback;
        }
        return value.asText();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        problem(name, value, "true or false");
        return fallback;
    }

    long integer(String name, long fallback, long min, long max) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        Long parsed = null;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            parsed = value.longValue();
        } else if (value.isTextual()) {
            try {
                parsed = Long.parseLong(value.asText().trim().replace("_", ""));
            } catch (NumberFormatException ignored) {
                parsed = null;
            }
        }
        if (parsed == null || parsed < min || parsed > max) {
            problem(name, value, "a whole number from " + min + " to " + max);
            return fallback;
        }
        return parsed;
    }

    double number(String name, double fallback, double min, double max) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        Double parsed = parseDouble(value);
        if (parsed == null || !(parsed >= min && parsed <= max)) {
            problem(name, value, "a number from " + min + " to " + max);
            return fallback;
        }
        return parsed;
    }

    private static Double parseDouble(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                double parsed = Double.parseDouble(value.asText().trim());
                return Double.isFinite(parsed) ? parsed : null;
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
        return null;
    }

    /** A two-number range written as {@code [low, high]}, or a single number {@code x} meaning {@code [1-x, 1+x]} when {@code symmetricAroundOne}. */
    double[] range(String name, double[] fallback, double min, double max, boolean symmetricAroundOne) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        String allowed = "[low, high] with " + min + " <= low <= high <= " + max
                + (symmetricAroundOne ? ", or one number x meaning [1-x, 1+x]" : "");
        double[] parsed = null;
        if (value.isArray() && value.size() == 2) {
            Double low = parseDouble(value.get(0));
            Double high = parseDouble(value.get(1));
            if (low != null && high != null) {
                parsed = new double[] {low, high};
            }
        } else if (symmetricAroundOne) {
            Double x = parseDouble(value);
            if (x != null) {
                parsed = new double[] {1 - x, 1 + x};
            }
        }
        if (parsed == null || parsed[0] < min || parsed[1] > max || parsed[0] > parsed[1]) {
            problem(name, value, allowed);
            return fallback;
        }
        return parsed;
    }

    List<String> strings(String name, List<String> fallback) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        if (value.isTextual() && !value.asText().isBlank()) {
            // -Dlabels=hat,beard on a command line arrives as one text value
            return Arrays.stream(value.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (!value.isArray()) {
            problem(name, value, "a list such as [hat, beard, eyewear]");
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.asText().isBlank()) {
                problem(name, value, "a list of non-empty names");
                return fallback;
            }
            out.add(item.asText());
        }
        return out;
    }

    <E extends Enum<E>> E choice(String name, E fallback, Class<E> type, Function<E, String> configName) {
        JsonNode value = take(name);
        if (value == null) {
            return fallback;
        }
        String text = value.asText().trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (configName.apply(constant).equals(text)) {
                return constant;
            }
        }
        problem(name, value, "one of " + Arrays.stream(type.getEnumConstants()).map(configName)
                .collect(Collectors.joining(", ")));
        return fallback;
    }

    /** Records every key of this section and its sub-sections that no getter read. */
    void reportUnknownKeys() {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                problems.add(key(name) + " is not a known key" + (read.isEmpty() ? ""
                        : ": known keys here are " + read.stream().sorted().collect(Collectors.joining(", "))));
            }
        }
        children.forEach(ConfigNode::reportUnknownKeys);
    }
}
