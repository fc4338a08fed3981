package io.img2rec.core.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The type of one config key: how a YAML value (or a {@code -D} override, read as YAML) becomes a Java value,
 * what is allowed (one phrase used in every message), and how the value is written back as YAML.
 *
 * @param <T> the Java value
 */
abstract class ConfigType<T> {
    /** What is allowed, as it reads after "is not allowed: ", e.g. "a whole number from 1 to 4096". */
    abstract String allowed();

    /** The value of a (non-null) node, or {@code null} when it is not one of this type's values. */
    abstract T parse(JsonNode node);

    /** Whether a value of the right Java type is allowed (ranges); values from {@link #parse} are checked too. */
    boolean accepts(T value) {
        return true;
    }

    /** The value as a plain object Jackson writes as YAML (text, number, boolean or list). */
    Object toYaml(T value) {
        return value;
    }

    /** Throws {@link IllegalArgumentException} naming {@code key}, the value and what is allowed unless accepted. */
    final T check(String key, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is missing: allowed " + allowed());
        }
        if (!accepts(value)) {
            throw new IllegalArgumentException(key + " = " + show(value) + " is not allowed: " + allowed());
        }
        return value;
    }

    /** The value as a one-line flow-style YAML fragment, for messages and the defaults listing. */
    final String show(T value) {
        return flow(toYaml(value));
    }

    static String flow(Object yaml) {
        if (yaml instanceof List<?> list) {
            return list.stream().map(ConfigType::flow).collect(Collectors.joining(", ", "[", "]"));
        }
        if (yaml instanceof String text && !PLAIN_TEXT.matcher(text).matches()) {
            return "'" + text.replace("'", "''") + "'";
        }
        return String.valueOf(yaml);
    }

    /** Text that YAML reads back as the same text without quotes (no number, boolean, null or flow syntax). */
    private static final Pattern PLAIN_TEXT = Pattern.compile(
            "(?!(?i:true|false|yes|no|on|off|null|~)$)(?![-+.]?[0-9])[A-Za-z0-9_./-]+");

    static ConfigType<Integer> integer(int min, int max) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "a whole number from " + min + " to " + max;
            }

            @Override
            Integer parse(JsonNode node) {
                Long parsed = parseLong(node);
                return parsed == null || parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE ? null
                        : (int) (long) parsed;
            }

            @Override
            boolean accepts(Integer value) {
                return value >= min && value <= max;
            }
        };
    }

    static ConfigType<Long> longInteger(long min, long max) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "a whole number"
                        : "a whole number from " + min + " to " + max;
            }

            @Override
            Long parse(JsonNode node) {
                return parseLong(node);
            }

            @Override
            boolean accepts(Long value) {
                return value >= min && value <= max;
            }
        };
    }

    static ConfigType<Double> number(double min, double max) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "a number from " + min + " to " + max;
            }

            @Override
            Double parse(JsonNode node) {
                return parseDouble(node);
            }

            @Override
            boolean accepts(Double value) {
                return value >= min && value <= max;
            }
        };
    }

    static ConfigType<Boolean> bool() {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "true or false";
            }

            @Override
            Boolean parse(JsonNode node) {
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                String text = node.isValueNode() ? node.asText().toLowerCase(Locale.ROOT) : "";
                return text.equals("true") || text.equals("false") ? Boolean.parseBoolean(text) : null;
            }
        };
    }

    /** Non-blank text; {@code allowed} says what the text means. */
    static ConfigType<String> text(String allowed) {
        return text(allowed, null);
    }

    /** Text matching {@code pattern} (when not null); {@code allowed} says so in words. */
    static ConfigType<String> text(String allowed, Pattern pattern) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return allowed;
            }

            @Override
            String parse(JsonNode node) {
                return node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
            }

            @Override
            boolean accepts(String value) {
                return !value.isBlank() && (pattern == null || pattern.matcher(value).matches());
            }
        };
    }

    /** A file or folder; relative paths are resolved by whoever uses them. */
    static ConfigType<Path> path(String allowed) {
        ConfigType<String> text = text(allowed);
        return new ConfigType<>() {
            @Override
            String allowed() {
                return allowed;
            }

            @Override
            Path parse(JsonNode node) {
                String value = text.parse(node);
                try {
                    return value == null ? null : Path.of(value);
                } catch (RuntimeException e) {
                    return null;
                }
            }

            @Override
            Object toYaml(Path value) {
                return value.toString();
            }
        };
    }

    /** A folder, or {@code none} for no folder ({@link Optional#empty()}); relative paths resolved by the user. */
    static ConfigType<java.util.Optional<Path>> optionalPath(String allowed) {
        ConfigType<Path> path = path(allowed);
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "none or " + allowed;
            }

            @Override
            java.util.Optional<Path> parse(JsonNode node) {
                if (node.isNull() || (node.isValueNode() && node.asText().equals(NONE))) {
                    return java.util.Optional.empty();
                }
                Path value = path.parse(node);
                return value == null ? null : java.util.Optional.of(value);
            }

            @Override
            Object toYaml(java.util.Optional<Path> value) {
                return value.map(Path::toString).orElse(NONE);
            }
        };
    }

    /** The text that says "no value" for an optional key. */
    static final String NONE = "none";

    /**
     * A list of at least {@code minSize} names, each matching {@code pattern} ({@code allowedName} says how in words);
     * a single text {@code a,b} (as a {@code -D} override arrives) is split at commas.
     */
    static ConfigType<List<String>> names(int minSize, Pattern pattern, String allowedName) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "a list" + (minSize > 0 ? " of at least " + minSize : "")
                        + " such as [hat, beard, eyewear], each " + allowedName;
            }

            @Override
            List<String> parse(JsonNode node) {
                if (node.isTextual() && !node.asText().isBlank()) {
                    return Arrays.stream(node.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                }
                if (!node.isArray()) {
                    return null;
                }
                List<String> out = new ArrayList<>();
                for (JsonNode item : node) {
                    if (!item.isValueNode() || item.asText().isBlank()) {
                        return null;
                    }
                    out.add(item.asText());
                }
                return List.copyOf(out);
            }

            @Override
            boolean accepts(List<String> value) {
                return value.size() >= minSize
                        && value.stream().allMatch(s -> s != null && pattern.matcher(s).matches());
            }
        };
    }

    /** One of an enum's constants, written as its lower-case config name; {@code -} reads as {@code _}. */
    static <E extends Enum<E>> ConfigType<E> choice(Class<E> type, Function<E, String> configName) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "one of " + Arrays.stream(type.getEnumConstants()).map(configName)
                        .collect(Collectors.joining(", "));
            }

            @Override
            E parse(JsonNode node) {
                if (!node.isValueNode()) {
                    return null;
                }
                String text = node.asText().trim().toLowerCase(Locale.ROOT).replace('-', '_');
                for (E constant : type.getEnumConstants()) {
                    if (configName.apply(constant).equals(text)) {
                        return constant;
                    }
                }
                return null;
            }

            @Override
            Object toYaml(E value) {
                return configName.apply(value);
            }
        };
    }

    /**
     * A range written {@code [low, high]} with {@code min <= low <= high <= max}; when {@code symmetricAroundOne},
     * one number {@code x} means {@code [1-x, 1+x]} (as Keras's {@code zoom_range}).
     */
    static ConfigType<Interval> interval(double min, double max, boolean symmetricAroundOne) {
        return new ConfigType<>() {
            @Override
            String allowed() {
                return "[low, high] with " + min + " <= low <= high <= " + max
                        + (symmetricAroundOne ? ", or one number x meaning [1-x, 1+x]" : "");
            }

            @Override
            Interval parse(JsonNode node) {
                if (node.isArray() && node.size() == 2) {
                    Double low = parseDouble(node.get(0));
                    Double high = parseDouble(node.get(1));
                    return low == null || high == null ? null : new Interval(low, high);
                }
                if (symmetricAroundOne) {
                    Double x = parseDouble(node);
                    return x == null ? null : new Interval(1 - x, 1 + x);
                }
                return null;
            }

            @Override
            boolean accepts(Interval value) {
                return value.low() >= min && value.high() <= max && value.low() <= value.high();
            }

            @Override
            Object toYaml(Interval value) {
                return List.of(value.low(), value.high());
            }
        };
    }

    /** A closed range of two numbers, the value of an {@link #interval} key. */
    record Interval(double low, double high) {
    }

    private static Long parseLong(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? node.longValue() : null;
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim().replace("_", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Double parseDouble(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                double parsed = Double.parseDouble(node.asText().trim());
                return Double.isFinite(parsed) ? parsed : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
