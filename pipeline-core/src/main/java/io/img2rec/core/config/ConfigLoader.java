package io.img2rec.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.img2rec.core.model.Backbone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static io.img2rec.core.config.ConfigKeys.*;

/**
 * Reads a YAML config into a {@link PipelineConfig}. Each key's name, type, range and default come from its one
 * declaration in {@link ConfigKeys}; a value is taken from the command line ({@code -Dtrain.epochs=2}), else from
 * the file, else the default (which may depend on {@code model.architecture}). Every unknown key, wrong type,
 * out-of-range value and broken record precondition is reported in one {@link ConfigException}; a problem caused
 * by a {@code -D} override names the override and is reported against the command line, not the file.
 */
public final class ConfigLoader {
    /** Top-level keys and sections; a system property whose first segment is one of these is an override. */
    public static final Set<String> TOP_LEVEL_KEYS = Set.copyOf(ConfigKeys.namesIn(""));

    private static final YAMLMapper YAML = new YAMLMapper();

    private ConfigLoader() {
    }

    /** Loads a config file and applies overrides (which may be empty). */
    public static PipelineConfig load(Path file, Map<String, String> overrides) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("the file does not exist"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot be read: " + e.getMessage()));
        }
        return parse(text, file.toString(), overrides);
    }

    /** Parses YAML text; {@code source} names it in error messages; {@code overrides} come from the command line. */
    public static PipelineConfig parse(String yaml, String source, Map<String, String> overrides)
            throws ConfigException {
        ObjectNode root;
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                root = JsonNodeFactory.instance.objectNode();
            } else if (tree.isObject()) {
                root = (ObjectNode) tree;
            } else {
                throw new ConfigException(source, List.of("the top level must be keys such as 'model:' and 'train:', "
                        + "found " + tree.getNodeType().toString().toLowerCase()));
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(source, List.of("is not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        var problems = new Problems();
        Map<String, Given> fromFile = new LinkedHashMap<>();
        flatten(root, "", null, fromFile, problems);
        Map<String, Given> fromCommandLine = commandLine(overrides, problems);
        var values = new Values(parsed(fromCommandLine, problems), parsed(fromFile, problems));
        PipelineConfig config = build(values, fromCommandLine, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.source(source), problems.texts());
        }
        return config;
    }

    /**
     * The overrides among system-property-like entries: those whose first segment is a config key or section, and
     * near misses of one (such as {@code dta.root}), which the loader then reports as unknown, naming the key
     * meant. JVM, Maven and library properties ({@code java.*}, {@code user.*}, {@code maven.*} …) are left out.
     */
    public static Map<String, String> overridesFrom(Map<?, ?> properties) {
        Map<String, String> overrides = new TreeMap<>();
        properties.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (ConfigKeys.looksLikeConfigKey(key)) {
                overrides.put(key, String.valueOf(v));
            }
        });
        return overrides;
    }

    /** The defaults of a base, built from the key declarations. */
    static PipelineConfig defaults(Backbone backbone) {
        var problems = new Problems();
        PipelineConfig config = build(new Values(backbone), Map.of(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the declared defaults of " + backbone.configName()
                    + " are not a valid config: " + problems.texts());
        }
        return config;
    }

    /** A value as given: the YAML node, and the {@code -Dkey=value} it came from ({@code null} = the file). */
    private record Given(JsonNode value, String override) {
        String from() {
            return override == null ? "" : " (" + override + ")";
        }
    }

    /** Problems in the order found, each remembering whether a command-line override caused it. */
    private static final class Problems {
        private final List<String> texts = new ArrayList<>();
        private int fromCommandLine;

        void add(String text, boolean commandLine) {
            texts.add(text);
            fromCommandLine += commandLine ? 1 : 0;
        }

        boolean isEmpty() {
            return texts.isEmpty();
        }

        List<String> texts() {
            return texts;
        }

        String source(String file) {
            return fromCommandLine == texts.size() ? "command line" : fromCommandLine == 0 ? file
                    : file + " and the command line";
        }
    }

    private static void flatten(ObjectNode node, String prefix, String override, Map<String, Given> into,
                                Problems problems) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            var given = new Given(value, override);
            if (ConfigKeys.find(path).isPresent()) {
                into.put(path, given);
            } else if (ConfigKeys.isSection(path)) {
                if (value.isObject()) {
                    flatten((ObjectNode) value, path, override, into, problems);
                } else {
                    problems.add(path + " = " + render(value) + given.from()
                            + " is not allowed: a section of keys (key: value lines indented below it)",
                            override != null);
                }
            } else {
                unknown(path, given, problems);
            }
        }
    }

    private static void unknown(String path, Given given, Problems problems) {
        String section = path;
        do {
            section = section.contains(".") ? section.substring(0, section.lastIndexOf('.')) : "";
        } while (!section.isEmpty() && !ConfigKeys.isSection(section));
        String meant = ConfigKeys.nearest(path).map(n -> " (did you mean " + n + "?)").orElse("");
        problems.add(path + given.from() + " is not a known key" + meant + "; known keys "
                + (section.isEmpty() ? "at the top level" : "in " + section) + ": "
                + String.join(", ", ConfigKeys.namesIn(section)), given.override() != null);
    }

    private static Map<String, Given> commandLine(Map<String, String> overrides, Problems problems) {
        Map<String, Given> given = new LinkedHashMap<>();
        for (var entry : new TreeMap<>(overrides).entrySet()) {
            String key = entry.getKey();
            var override = new Given(overrideValue(entry.getValue()), "-D" + key + "=" + entry.getValue());
            if (ConfigKeys.find(key).isPresent()) {
                given.put(key, override);
            } else if (ConfigKeys.isSection(key) && override.value().isObject()) {
                flatten((ObjectNode) override.value(), key, override.override(), given, problems);
            } else if (ConfigKeys.isSection(key)) {
                problems.add(key + override.from() + " is a section, not a key: set its keys, e.g. -D" + key + "."
                        + ConfigKeys.namesIn(key).get(0) + "=…", true);
            } else {
                unknown(key, override, problems);
            }
        }
        return given;
    }

    private static JsonNode overrideValue(String raw) {
        try {
            JsonNode parsed = YAML.readTree(raw);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(raw) : parsed;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(raw);
        }
    }

    private static String render(JsonNode value) {
        return value.isTextual() ? "'" + value.asText() + "'" : value.toString();
    }

    /** Each given value read with its key's type; a value that is not allowed is a problem and is left out. */
    private static Map<ConfigKey<?>, Object> parsed(Map<String, Given> given, Problems problems) {
        Map<ConfigKey<?>, Object> out = new HashMap<>();
        given.forEach((path, g) -> {
            ConfigKey<?> key = ConfigKeys.find(path).orElseThrow();
            Object value = parse(key, g);
            if (value == null) {
                problems.add(path + " = " + render(g.value()) + g.from() + " is not allowed: " + key.allowed(),
                        g.override() != null);
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    private static <T> T parse(ConfigKey<T> key, Given given) {
        T value = key.type().parse(given.value());
        return value == null || !key.type().accepts(value) ? null : value;
    }

    /** Resolved values: the command line, else the file (a key's own value before its shorthand's), else the default. */
    private static final class Values {
        private final List<Map<ConfigKey<?>, Object>> layers;
        private final Backbone backbone;

        Values(Map<ConfigKey<?>, Object> commandLine, Map<ConfigKey<?>, Object> file) {
            this.layers = List.of(commandLine, file);
            this.backbone = given(MODEL_ARCHITECTURE, Backbone.VGG16);
        }

        Values(Backbone backbone) {
            this.layers = List.of();
            this.backbone = backbone;
        }

        Backbone backbone() {
            return backbone;
        }

        <T> T get(ConfigKey<T> key) {
            return given(key, key.defaultFor(backbone));
        }

        @SuppressWarnings("unchecked")
        private <T> T given(ConfigKey<T> key, T fallback) {
            for (Map<ConfigKey<?>, Object> layer : layers) {
                Object value = layer.get(key);
                if (value == null && key.shorthand() != null) {
                    value = layer.get(key.shorthand());
                }
                if (value != null) {
                    return (T) value;
                }
            }
            return fallback;
        }
    }

    /** The records, built here only; a broken precondition is one more problem and the default record stands in. */
    private static PipelineConfig build(Values v, Map<String, Given> fromCommandLine, Problems problems) {
        Supplier<PipelineConfig> base = () -> defaults(v.backbone());
        var g = new Guard(fromCommandLine, problems);
        DataConfig data = g.of("data", () -> base.get().data(), () -> new DataConfig(v.get(DATA_ROOT),
                v.get(DATA_BACKGROUND_FOLDERS),
                new SplitConfig(v.get(DATA_SPLIT_TRAIN), v.get(DATA_SPLIT_VALIDATION), v.get(DATA_SPLIT_TEST)),
                v.get(DATA_MAX_PIXELS), v.get(DATA_MIN_SIDE), v.get(DATA_THREADS)));
        ModelConfig model = g.of("model", () -> base.get().model(), () -> new ModelConfig(v.get(MODEL_ARCHITECTURE),
                v.get(MODEL_INPUT_SIZE), v.get(MODEL_PREPROCESSING), v.get(MODEL_RESIZE), v.get(MODEL_DATA_FORMAT),
                v.get(MODEL_HEADS),
                new TopModelConfig(v.get(MODEL_TOP_POOLING), v.get(MODEL_TOP_DENSE_UNITS), v.get(MODEL_TOP_DROPOUT)),
                v.get(MODEL_WEIGHTS), v.get(MODEL_WEIGHTS_FALLBACK), v.get(MODEL_UNFROZEN_LAYERS)));
        TrainConfig train = g.of("train", () -> base.get().train(), () -> new TrainConfig(v.get(TRAIN_BATCH_SIZE),
                v.get(TRAIN_CLASS_WEIGHTS), v.get(TRAIN_CHECKPOINT_METRIC), v.get(TRAIN_EARLY_STOPPING_PATIENCE),
                v.get(TRAIN_CHECKPOINT_INTERVAL_SECONDS),
                new PhaseConfig(v.get(TRAIN_TOP_EPOCHS), new OptimizerConfig(v.get(TRAIN_TOP_OPTIMIZER),
                        v.get(TRAIN_TOP_LEARNING_RATE), v.get(TRAIN_TOP_MOMENTUM))),
                new PhaseConfig(v.get(TRAIN_FINE_TUNE_EPOCHS), new OptimizerConfig(v.get(TRAIN_FINE_TUNE_OPTIMIZER),
                        v.get(TRAIN_FINE_TUNE_LEARNING_RATE), v.get(TRAIN_FINE_TUNE_MOMENTUM)))));
        AugmentConfig augment = g.of("augment", () -> base.get().augment(), () -> {
            ConfigType.Interval zoom = v.get(AUGMENT_ZOOM);
            ConfigType.Interval brightness = v.get(AUGMENT_BRIGHTNESS);
            return new AugmentConfig(v.get(AUGMENT_ENABLED), v.get(AUGMENT_COPIES), zoom.low(), zoom.high(),
                    v.get(AUGMENT_SHEAR), brightness.low(), brightness.high(), v.get(AUGMENT_ROTATION),
                    v.get(AUGMENT_WIDTH_SHIFT), v.get(AUGMENT_HEIGHT_SHIFT), v.get(AUGMENT_HORIZONTAL_FLIP));
        });
        CacheConfig cache = g.of("cache", () -> base.get().cache(), () -> new CacheConfig(v.get(CACHE_RAM_BUDGET_MB),
                v.get(CACHE_SHARDS).orElse(null)));
        return g.of("", base, () -> new PipelineConfig(v.get(NAME), v.get(SEED), v.get(LABELS), data, model, train,
                augment, cache, v.get(RUNS_DIR)));
    }

    /** Turns a record's {@link IllegalArgumentException} into a problem that names the overrides of its section. */
    private record Guard(Map<String, Given> fromCommandLine, Problems problems) {
        <T> T of(String section, Supplier<T> fallback, Supplier<T> factory) {
            try {
                return factory.get();
            } catch (IllegalArgumentException e) {
                List<String> overrides = fromCommandLine.entrySet().stream()
                        .filter(en -> section.isEmpty() ? !en.getKey().contains(".")
                                : en.getKey().startsWith(section + "."))
                        .map(en -> en.getValue().override()).toList();
                problems.add(e.getMessage() + (overrides.isEmpty() ? ""
                        : " (with " + String.join(", ", overrides) + " from the command line)"), !overrides.isEmpty());
                return fallback.get();
            }
        }
    }
}
