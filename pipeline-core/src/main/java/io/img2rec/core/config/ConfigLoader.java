package io.img2rec.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.Backbone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a YAML config into a {@link PipelineConfig}: applies {@code key=value} overrides (dotted keys, as
 * {@code -Dtrain.epochs=2}), fills the defaults of the chosen architecture, and reports every unknown key,
 * wrong type and out-of-range value in one {@link ConfigException} that names the file.
 */
public final class ConfigLoader {
    /** Top-level keys; a system property whose first segment is one of these is an override. */
    public static final Set<String> TOP_LEVEL_KEYS =
            Set.of("name", "seed", "labels", "runs_dir", "data", "model", "train", "augment", "cache");

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

    /** Parses YAML text; {@code source} names it in error messages. */
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
                throw new ConfigException(source, List.of("the top level must be keys such as 'model:' and 'train:', found "
                        + tree.getNodeType().toString().toLowerCase()));
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(source, List.of("is not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        applyOverrides(root, overrides, problems);
        PipelineConfig config = read(root, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return config;
    }

    /** The overrides among system-property-like entries: those whose first segment is a config key. */
    public static Map<String, String> overridesFrom(Map<?, ?> properties) {
        Map<String, String> overrides = new TreeMap<>();
        properties.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (TOP_LEVEL_KEYS.contains(key.split("\\.", 2)[0])) {
                overrides.put(key, String.valueOf(v));
            }
        });
        return overrides;
    }

    private static void applyOverrides(ObjectNode root, Map<String, String> given, List<String> problems) {
        Map<String, String> overrides = new TreeMap<>(given);
        // -Dtrain.epochs=N on the command line beats the phases' epochs in the file, unless a phase is named too.
        String sharedEpochs = overrides.remove("train.epochs");
        if (sharedEpochs != null) {
            overrides.putIfAbsent("train.top.epochs", sharedEpochs);
            overrides.putIfAbsent("train.fine_tune.epochs", sharedEpochs);
        }
        for (var entry : overrides.entrySet()) {
            String[] path = entry.getKey().split("\\.");
            ObjectNode parent = root;
            boolean ok = true;
            for (int i = 0; i < path.length - 1 && ok; i++) {
                JsonNode child = parent.get(path[i]);
                if (child == null || child.isNull()) {
                    parent = parent.putObject(path[i]);
                } else if (child.isObject()) {
                    parent = (ObjectNode) child;
                } else {
                    problems.add("override " + entry.getKey() + ": " + String.join(".", List.of(path).subList(0, i + 1))
                            + " is a value, not a section");
                    ok = false;
                }
            }
            if (ok) {
                parent.set(path[path.length - 1], overrideValue(entry.getValue()));
            }
        }
    }

    private static JsonNode overrideValue(String raw) {
        try {
            JsonNode parsed = YAML.readTree(raw);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(raw) : parsed;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(raw);
        }
    }

    private static PipelineConfig read(ObjectNode tree, List<String> problems) {
        var root = new ConfigNode(tree, "", problems);
        var modelNode = root.section("model");
        Backbone backbone = modelNode.choice("architecture", Backbone.VGG16, Backbone.class, Backbone::configName);
        PipelineConfig base = PipelineConfig.defaults(backbone);

        String name = root.string("name", backbone.configName());
        long seed = root.integer("seed", base.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> labels = root.strings("labels", base.labels());
        Path runsDir = Path.of(root.string("runs_dir", base.runsDir().toString()));

        DataConfig data = guarded(problems, base.data(), () -> readData(root.section("data"), base.data()));
        ModelConfig model = guarded(problems, base.model(), () -> readModel(modelNode, base.model()));
        TrainConfig train = guarded(problems, base.train(), () -> readTrain(root.section("train"), base.train()));
        AugmentConfig augment = guarded(problems, base.augment(),
                () -> readAugment(root.section("augment"), base.augment()));
        CacheConfig cache = guarded(problems, base.cache(), () -> new CacheConfig(
                root.section("cache").integer("ram_budget_mb", base.cache().ramBudgetMb(), 0, 1_000_000)));
        root.reportUnknownKeys();
        return guarded(problems, base, () -> new PipelineConfig(name, seed, labels, data, model, train, augment, cache,
                runsDir));
    }

    private interface RecordFactory<T> {
        T make();
    }

    /** Builds a record; a broken precondition becomes one more problem and the default stands in. */
    private static <T> T guarded(List<String> problems, T fallback, RecordFactory<T> factory) {
        try {
            return factory.make();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    private static DataConfig readData(ConfigNode node, DataConfig d) {
        var split = node.section("split");
        var splitConfig = new SplitConfig(split.number("train", d.split().train(), 0, 1),
                split.number("validation", d.split().validation(), 0, 1), split.number("test", d.split().test(), 0, 1));
        return new DataConfig(Path.of(node.string("root", d.root().toString())),
                node.strings("background_folders", d.backgroundFolders()), splitConfig,
                node.integer("max_pixels", d.maxPixels(), 1, 1_000_000_000L),
                (int) node.integer("min_side", d.minSide(), 1, 100_000),
                (int) node.integer("threads", d.threads(), 1, 256));
    }

    private static ModelConfig readModel(ConfigNode node, ModelConfig m) {
        var top = node.section("top");
        var topConfig = new TopModelConfig(
                top.choice("pooling", m.top().pooling(), TopModelConfig.Pooling.class, TopModelConfig.Pooling::configName),
                (int) top.integer("dense_units", m.top().denseUnits(), 1, 65_536),
                top.number("dropout", m.top().dropout(), 0, 0.95));
        return new ModelConfig(m.architecture(),
                (int) node.integer("input_size", m.inputSize(), 16, 1024),
                node.choice("preprocessing", m.preprocessing(), PixelPreprocessing.class, PixelPreprocessing::configName),
                node.choice("resize", m.resize(), ResizeInterpolation.class, ResizeInterpolation::configName),
                node.choice("data_format", m.dataFormat(), TensorLayout.class, TensorLayout::configName),
                node.choice("heads", m.heads(), ModelConfig.Heads.class, ModelConfig.Heads::configName),
                topConfig,
                node.string("weights", m.weights()),
                node.choice("weights_fallback", m.weightsFallback(), ModelConfig.WeightsFallback.class,
                        ModelConfig.WeightsFallback::configName),
                (int) node.integer("unfrozen_layers", m.unfrozenLayers(), 1, 1000));
    }

    private static TrainConfig readTrain(ConfigNode node, TrainConfig t) {
        int epochs = node.has("epochs") ? (int) node.integer("epochs", 0, 0, 100_000) : -1;
        return new TrainConfig((int) node.integer("batch_size", t.batchSize(), 1, 4096),
                node.choice("class_weights", t.classWeights(), TrainConfig.ClassWeights.class,
                        TrainConfig.ClassWeights::configName),
                node.choice("checkpoint_metric", t.checkpointMetric(), TrainConfig.CheckpointMetric.class,
                        TrainConfig.CheckpointMetric::configName),
                (int) node.integer("early_stopping_patience", t.earlyStoppingPatience(), 0, 100_000),
                (int) node.integer("checkpoint_interval_seconds", t.checkpointIntervalSeconds(), 0, 86_400),
                readPhase(node.section("top"), t.top(), epochs),
                readPhase(node.section("fine_tune"), t.fineTune(), epochs));
    }

    /** {@code train.epochs} sets both phases; {@code train.top.epochs} / {@code train.fine_tune.epochs} win over it. */
    private static PhaseConfig readPhase(ConfigNode node, PhaseConfig p, int sharedEpochs) {
        int fallbackEpochs = sharedEpochs >= 0 ? sharedEpochs : p.epochs();
        var o = p.optimizer();
        return new PhaseConfig((int) node.integer("epochs", fallbackEpochs, 0, 100_000),
                new OptimizerConfig(node.choice("optimizer", o.kind(), OptimizerConfig.Kind.class,
                        OptimizerConfig.Kind::configName),
                        node.number("learning_rate", o.learningRate(), 1e-12, 10),
                        node.number("momentum", o.momentum(), 0, 0.9999)));
    }

    private static AugmentConfig readAugment(ConfigNode node, AugmentConfig a) {
        double[] zoom = node.range("zoom", new double[] {a.zoomMin(), a.zoomMax()}, 0.05, 20, true);
        double[] brightness = node.range("brightness", new double[] {a.brightnessMin(), a.brightnessMax()}, 0, 10, false);
        return new AugmentConfig(node.bool("enabled", a.enabled()),
                (int) node.integer("copies", a.copies(), 1, 1000), zoom[0], zoom[1],
                node.number("shear", a.shearDegrees(), 0, 89),
                brightness[0], brightness[1],
                node.number("rotation", a.rotationDegrees(), 0, 180),
                node.number("width_shift", a.widthShift(), 0, 1),
                node.number("height_shift", a.heightShift(), 0, 1),
                node.bool("horizontal_flip", a.horizontalFlip()));
    }
}
