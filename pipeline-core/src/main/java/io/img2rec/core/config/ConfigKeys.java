package io.img2rec.core.config;

import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.manifest.ImageInspector;
import io.img2rec.core.manifest.ScanOptions;
import io.img2rec.core.model.Backbone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every config key, declared once: name, type with its allowed range or choices, default, one line of
 * documentation, and whether it is identity or an execution setting. {@link ConfigLoader} (YAML and {@code -D}
 * overrides → records), {@link ConfigWriter} (records → YAML, config hash) and {@link #describe(Backbone)} (the
 * commented defaults) are derived from these declarations; the records check their values against them.
 *
 * <p>To add a key: declare it here in its section's place (the order is the order of written YAML), add the record
 * component it fills, and read it where {@link ConfigLoader} builds that record. Nothing else lists keys.
 */
public final class ConfigKeys {
    private static final Map<String, ConfigKey<?>> REGISTRY = new LinkedHashMap<>();

    // Shared value types: one range for a value that several keys (both phases) or records use.
    static final ConfigType<Integer> EPOCHS = ConfigType.integer(0, 100_000);
    static final ConfigType<OptimizerConfig.Kind> OPTIMIZER =
            ConfigType.choice(OptimizerConfig.Kind.class, OptimizerConfig.Kind::configName);
    static final ConfigType<Double> LEARNING_RATE = ConfigType.number(1e-12, 10.0);
    static final ConfigType<Double> MOMENTUM = ConfigType.number(0.0, 0.9999);
    static final ConfigType<Double> FRACTION = ConfigType.number(0.0, 1.0);
    /** A name that becomes a folder name (a run folder, a label folder). */
    private static final Pattern FOLDER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String FOLDER_NAME_ALLOWED =
            "1-64 letters, digits, '_', '.', '-', starting with a letter or digit";

    // ---- top level
    static final ConfigKey<String> NAME = key("name", ConfigType.text(FOLDER_NAME_ALLOWED, FOLDER_NAME),
            Backbone::configName, PipelineConfig::name,
            "short name used in run folder names (default: the architecture)");
    static final ConfigKey<Long> SEED = key("seed", ConfigType.longInteger(Long.MIN_VALUE, Long.MAX_VALUE), b -> 42L,
            PipelineConfig::seed, "one seed for split, initialisation, dropout, augmentation and shuffling");
    static final ConfigKey<List<String>> LABELS = key("labels", ConfigType.names(1, FOLDER_NAME, FOLDER_NAME_ALLOWED),
            b -> List.of("hat", "beard", "eyewear"), PipelineConfig::labels,
            "label names, in order; one sub-folder of data.root per label");
    static final ConfigKey<Path> RUNS_DIR = execution("runs_dir", ConfigType.path("a folder"), b -> Path.of("runs"),
            PipelineConfig::runsDir, "run folders are created here: runs/<yyyyMMdd-HHmmss>-<name>/");

    // ---- data
    static final ConfigKey<Path> DATA_ROOT = execution("data.root",
            ConfigType.path("a folder with one sub-folder per label"),
            b -> Path.of("datasets/sample"), c -> c.data().root(),
            "dataset folder; relative paths are resolved against the project root (identified by the manifest hash)");
    static final ConfigKey<List<String>> DATA_BACKGROUND_FOLDERS = key("data.background_folders",
            ConfigType.names(0, FOLDER_NAME, FOLDER_NAME_ALLOWED),
            b -> ScanOptions.DEFAULT_BACKGROUND_FOLDERS, c -> c.data().backgroundFolders(),
            "sub-folders whose images carry no label (negatives for every label)");
    static final ConfigKey<Double> DATA_SPLIT_TRAIN = key("data.split.train", FRACTION, b -> 0.70,
            c -> c.data().split().train(), "fraction of images in the training split");
    static final ConfigKey<Double> DATA_SPLIT_VALIDATION = key("data.split.validation", FRACTION, b -> 0.15,
            c -> c.data().split().validation(), "fraction in the validation split (checkpoints, thresholds)");
    static final ConfigKey<Double> DATA_SPLIT_TEST = key("data.split.test", FRACTION, b -> 0.15,
            c -> c.data().split().test(), "fraction in the held-out test split (the report)");
    static final ConfigKey<Long> DATA_MAX_PIXELS = key("data.max_pixels", ConfigType.longInteger(1, 1_000_000_000L),
            b -> ImageInspector.DEFAULT_MAX_PIXELS, c -> c.data().maxPixels(),
            "read from the header; larger images are rejected, never decoded");
    static final ConfigKey<Integer> DATA_MIN_SIDE = key("data.min_side", ConfigType.integer(1, 100_000),
            b -> ScanOptions.DEFAULT_MIN_SIDE, c -> c.data().minSide(), "images with a smaller side are rejected");
    static final ConfigKey<Integer> DATA_THREADS = execution("data.threads", ConfigType.integer(1, 256),
            b -> Math.max(1, Runtime.getRuntime().availableProcessors()), c -> c.data().threads(),
            "scanner threads (default: this machine's processors)");

    // ---- model
    static final ConfigKey<Backbone> MODEL_ARCHITECTURE = key("model.architecture",
            ConfigType.choice(Backbone.class, Backbone::configName), b -> b, c -> c.model().architecture(),
            "the convolutional base; the other model.* defaults follow it");
    static final ConfigKey<Integer> MODEL_INPUT_SIZE = key("model.input_size", ConfigType.integer(16, 1024),
            recipe(150, 224, 32), c -> c.model().inputSize(), "images are resized to this many pixels square");
    static final ConfigKey<PixelPreprocessing> MODEL_PREPROCESSING = key("model.preprocessing",
            ConfigType.choice(PixelPreprocessing.class, PixelPreprocessing::configName),
            recipe(PixelPreprocessing.BGR_RESCALE, PixelPreprocessing.CAFFE, PixelPreprocessing.BGR_RESCALE),
            c -> c.model().preprocessing(), "bgr_rescale: RGB->BGR then x1/255; caffe: BGR minus the ImageNet means");
    static final ConfigKey<ResizeInterpolation> MODEL_RESIZE = key("model.resize",
            ConfigType.choice(ResizeInterpolation.class, ResizeInterpolation::configName),
            b -> ResizeInterpolation.NEAREST, c -> c.model().resize(), "nearest (as Keras load_img) or bilinear");
    static final ConfigKey<TensorLayout> MODEL_DATA_FORMAT = key("model.data_format",
            ConfigType.choice(TensorLayout.class, TensorLayout::configName),
            recipe(TensorLayout.NCHW, TensorLayout.NCHW, TensorLayout.NHWC), c -> c.model().dataFormat(),
            "tensor layout; nchw trains fastest with oneDNN here");
    static final ConfigKey<ModelConfig.Heads> MODEL_HEADS = key("model.heads",
            ConfigType.choice(ModelConfig.Heads.class, ModelConfig.Heads::configName), b -> ModelConfig.Heads.PER_LABEL,
            c -> c.model().heads(), "per_label: one binary model per label; multilabel: one sigmoid per label");
    static final ConfigKey<TopModelConfig.Pooling> MODEL_TOP_POOLING = key("model.top.pooling",
            ConfigType.choice(TopModelConfig.Pooling.class, TopModelConfig.Pooling::configName),
            recipe(TopModelConfig.Pooling.FLATTEN, TopModelConfig.Pooling.GLOBAL_AVERAGE,
                    TopModelConfig.Pooling.GLOBAL_AVERAGE),
            c -> c.model().top().pooling(), "how the base's feature map becomes a vector");
    static final ConfigKey<Integer> MODEL_TOP_DENSE_UNITS = key("model.top.dense_units", ConfigType.integer(1, 65_536),
            recipe(256, 512, 32), c -> c.model().top().denseUnits(), "units of the top's hidden ReLU layer");
    static final ConfigKey<Double> MODEL_TOP_DROPOUT = key("model.top.dropout", ConfigType.number(0.0, 0.95),
            recipe(0.5, 0.25, 0.25), c -> c.model().top().dropout(),
            "fraction of activations dropped (Keras semantics)");
    static final ConfigKey<String> MODEL_WEIGHTS = key("model.weights",
            ConfigType.text("imagenet, random or a path to a weights file"), recipe("imagenet", "imagenet", "random"),
            c -> c.model().weights(), "where the base's starting weights come from");
    static final ConfigKey<ModelConfig.WeightsFallback> MODEL_WEIGHTS_FALLBACK = key("model.weights_fallback",
            ConfigType.choice(ModelConfig.WeightsFallback.class, ModelConfig.WeightsFallback::configName),
            b -> ModelConfig.WeightsFallback.NONE, c -> c.model().weightsFallback(),
            "none: stop when ImageNet weights cannot be had; random: go on from random weights and say so");
    static final ConfigKey<Integer> MODEL_UNFROZEN_LAYERS = key("model.unfrozen_layers", ConfigType.integer(1, 1000),
            recipe(5, 5, 3), c -> c.model().unfrozenLayers(),
            "the last N layers (counted as Keras counts them, the top being one) trained in phase 2");

    // ---- train
    static final ConfigKey<Integer> TRAIN_BATCH_SIZE = key("train.batch_size", ConfigType.integer(1, 4096), b -> 16,
            c -> c.train().batchSize(), "images per batch in both phases");
    static final ConfigKey<TrainConfig.ClassWeights> TRAIN_CLASS_WEIGHTS = key("train.class_weights",
            ConfigType.choice(TrainConfig.ClassWeights.class, TrainConfig.ClassWeights::configName),
            b -> TrainConfig.ClassWeights.BALANCED, c -> c.train().classWeights(),
            "balanced: n / (2 n_class) per example; none: what the original effectively did");
    static final ConfigKey<TrainConfig.CheckpointMetric> TRAIN_CHECKPOINT_METRIC = key("train.checkpoint_metric",
            ConfigType.choice(TrainConfig.CheckpointMetric.class, TrainConfig.CheckpointMetric::configName),
            b -> TrainConfig.CheckpointMetric.AUC, c -> c.train().checkpointMetric(),
            "validation metric that picks the best checkpoint");
    static final ConfigKey<Integer> TRAIN_EARLY_STOPPING_PATIENCE = key("train.early_stopping_patience",
            ConfigType.integer(0, 100_000), b -> 0, c -> c.train().earlyStoppingPatience(),
            "epochs without improvement before a phase stops; 0 = never");
    static final ConfigKey<Integer> TRAIN_CHECKPOINT_INTERVAL_SECONDS = key("train.checkpoint_interval_seconds",
            ConfigType.integer(0, 86_400), b -> 60, c -> c.train().checkpointIntervalSeconds(),
            "'last' checkpoint at most this often (always at a phase's end); 0 = every epoch");
    static final ConfigKey<Integer> TRAIN_EPOCHS = register(new ConfigKey<>("train.epochs", EPOCHS, null, null,
            "sets both phases' epochs; a phase's own epochs (in the same file or on the same command line) wins",
            true, null));
    static final ConfigKey<Integer> TRAIN_TOP_EPOCHS = register(new ConfigKey<>("train.top.epochs", EPOCHS, b -> 50,
            c -> c.train().top().epochs(), "phase 1 (top model on cached bottleneck features): epochs", true,
            TRAIN_EPOCHS));
    static final ConfigKey<OptimizerConfig.Kind> TRAIN_TOP_OPTIMIZER = key("train.top.optimizer", OPTIMIZER,
            b -> OptimizerConfig.Kind.ADAM, c -> c.train().top().optimizer().kind(), "phase 1 optimiser");
    static final ConfigKey<Double> TRAIN_TOP_LEARNING_RATE = key("train.top.learning_rate", LEARNING_RATE,
            b -> 1e-3, c -> c.train().top().optimizer().learningRate(), "phase 1 learning rate");
    static final ConfigKey<Double> TRAIN_TOP_MOMENTUM = key("train.top.momentum", MOMENTUM, b -> 0.0,
            c -> c.train().top().optimizer().momentum(), "phase 1 momentum (sgd_momentum, nesterov; Adam ignores it)");
    static final ConfigKey<Integer> TRAIN_FINE_TUNE_EPOCHS = register(new ConfigKey<>("train.fine_tune.epochs", EPOCHS,
            b -> 50, c -> c.train().fineTune().epochs(), "phase 2 (last model.unfrozen_layers trained): epochs", true,
            TRAIN_EPOCHS));
    static final ConfigKey<OptimizerConfig.Kind> TRAIN_FINE_TUNE_OPTIMIZER = key("train.fine_tune.optimizer", OPTIMIZER,
            b -> OptimizerConfig.Kind.SGD_MOMENTUM, c -> c.train().fineTune().optimizer().kind(), "phase 2 optimiser");
    static final ConfigKey<Double> TRAIN_FINE_TUNE_LEARNING_RATE = key("train.fine_tune.learning_rate", LEARNING_RATE,
            b -> 5e-5, c -> c.train().fineTune().optimizer().learningRate(), "phase 2 learning rate");
    static final ConfigKey<Double> TRAIN_FINE_TUNE_MOMENTUM = key("train.fine_tune.momentum", MOMENTUM, b -> 0.9,
            c -> c.train().fineTune().optimizer().momentum(), "phase 2 momentum");

    // ---- augment (phase 2 only; Keras ImageDataGenerator semantics)
    static final ConfigKey<Boolean> AUGMENT_ENABLED = key("augment.enabled", ConfigType.bool(), b -> true,
            c -> c.augment().enabled(), "augment phase 2's training images");
    static final ConfigKey<Integer> AUGMENT_COPIES = key("augment.copies", ConfigType.integer(1, 1000), b -> 4,
            c -> c.augment().copies(), "augmented copies per training image, computed once through the frozen layers");
    static final ConfigKey<ConfigType.Interval> AUGMENT_ZOOM = key("augment.zoom", ConfigType.interval(0.05, 20.0, true),
            b -> new ConfigType.Interval(0.8, 1.7),
            c -> new ConfigType.Interval(c.augment().zoomMin(), c.augment().zoomMax()),
            "zoom factors, x and y drawn independently; above 1 zooms out");
    static final ConfigKey<Double> AUGMENT_SHEAR = key("augment.shear", ConfigType.number(0.0, 89.0), b -> 0.2,
            c -> c.augment().shearDegrees(), "shear range in degrees (Keras 2.2 takes degrees)");
    static final ConfigKey<ConfigType.Interval> AUGMENT_BRIGHTNESS = key("augment.brightness",
            ConfigType.interval(0.0, 10.0, false), b -> new ConfigType.Interval(0.5, 1.5),
            c -> new ConfigType.Interval(c.augment().brightnessMin(), c.augment().brightnessMax()),
            "multiplicative brightness factor range");
    static final ConfigKey<Double> AUGMENT_ROTATION = key("augment.rotation", ConfigType.number(0.0, 180.0), b -> 40.0,
            c -> c.augment().rotationDegrees(), "rotation range in degrees");
    static final ConfigKey<Double> AUGMENT_WIDTH_SHIFT = key("augment.width_shift", FRACTION, b -> 0.2,
            c -> c.augment().widthShift(), "horizontal shift as a fraction of the width");
    static final ConfigKey<Double> AUGMENT_HEIGHT_SHIFT = key("augment.height_shift", FRACTION, b -> 0.2,
            c -> c.augment().heightShift(), "vertical shift as a fraction of the height");
    static final ConfigKey<Boolean> AUGMENT_HORIZONTAL_FLIP = key("augment.horizontal_flip", ConfigType.bool(),
            b -> true, c -> c.augment().horizontalFlip(), "mirror images at random");

    // ---- cache
    static final ConfigKey<Long> CACHE_RAM_BUDGET_MB = execution("cache.ram_budget_mb",
            ConfigType.longInteger(0, 1_000_000), b -> 2048L, c -> c.cache().ramBudgetMb(),
            "frozen-layer activations beyond this many MB spill to disk in the run folder");
    static final ConfigKey<java.util.Optional<Path>> CACHE_SHARDS = execution("cache.shards",
            ConfigType.optionalPath("a folder of frozen-layer cache shards"), b -> java.util.Optional.empty(),
            c -> c.cache().shardsFolder(),
            "read the frozen-layer cache from shards filled on Spark (docs/SPARK.md) instead of computing it; none: compute it");

    private static final List<ConfigKey<?>> ALL = List.copyOf(REGISTRY.values());
    private static final Set<String> SECTIONS = sectionsOf(ALL);
    /** First segments of system properties that belong to the JVM, Maven and libraries, never to a config. */
    private static final Set<String> FOREIGN_NAMESPACES = Set.of("java", "javax", "jdk", "sun", "com", "org", "net",
            "io", "user", "os", "file", "line", "path", "maven", "exec", "surefire", "failsafe", "basedir",
            "classworlds", "guice", "library", "jansi", "native", "stdout", "stderr", "awt", "http", "https", "ftp",
            "socksproxyhost", "socksproxyport", "jna", "jnidispatch", "javacpp", "nd4j", "dl4j", "org.bytedeco",
            "logback", "slf4j", "picocli", "img2rec", "env", "project", "settings", "junit", "idea", "intellij",
            "kotlin", "jline", "netty", "log4j", "jboss", "config", "resume", "run", "out");

    private ConfigKeys() {
    }

    private static <T> ConfigKey<T> register(ConfigKey<T> key) {
        if (REGISTRY.putIfAbsent(key.path(), key) != null) {
            throw new IllegalStateException("config key " + key.path() + " is declared twice");
        }
        return key;
    }

    private static <T> ConfigKey<T> key(String path, ConfigType<T> type, Function<Backbone, T> defaults,
                                        Function<PipelineConfig, T> value, String doc) {
        return register(new ConfigKey<>(path, type, defaults, value, doc, true, null));
    }

    /** A key that is not part of the config's identity: a machine fact or a path. */
    private static <T> ConfigKey<T> execution(String path, ConfigType<T> type, Function<Backbone, T> defaults,
                                              Function<PipelineConfig, T> value, String doc) {
        return register(new ConfigKey<>(path, type, defaults, value, doc, false, null));
    }

    /** The original recipe's value per base. */
    private static <T> Function<Backbone, T> recipe(T vgg16, T resnet50, T tinyCnn) {
        return b -> switch (b) {
            case VGG16 -> vgg16;
            case RESNET50 -> resnet50;
            case TINY_CNN -> tinyCnn;
        };
    }

    private static Set<String> sectionsOf(List<ConfigKey<?>> keys) {
        Set<String> sections = new LinkedHashSet<>();
        for (ConfigKey<?> key : keys) {
            for (String s = key.section(); !s.isEmpty(); s = s.contains(".") ? s.substring(0, s.lastIndexOf('.')) : "") {
                sections.add(s);
            }
        }
        return Set.copyOf(sections);
    }

    /** Every key, in the order they are written. */
    public static List<ConfigKey<?>> all() {
        return ALL;
    }

    /** The key with this dotted name. */
    public static Optional<ConfigKey<?>> find(String path) {
        return Optional.ofNullable(REGISTRY.get(path));
    }

    /** Whether a dotted name is a section ({@code data}, {@code train.top}) rather than a key. */
    public static boolean isSection(String path) {
        return SECTIONS.contains(path);
    }

    /** The names directly inside a section ({@code ""} = top level): keys and sub-sections, in written order. */
    public static List<String> namesIn(String section) {
        Set<String> names = new LinkedHashSet<>();
        String prefix = section.isEmpty() ? "" : section + ".";
        for (ConfigKey<?> key : ALL) {
            if (key.path().startsWith(prefix)) {
                names.add(key.path().substring(prefix.length()).split("\\.", 2)[0]);
            }
        }
        return List.copyOf(names);
    }

    /** The known key or section nearest to {@code name} within edit distance 2 (1 for names under 5 letters). */
    public static Optional<String> nearest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> candidates = new ArrayList<>(REGISTRY.keySet());
        candidates.addAll(SECTIONS);
        for (String candidate : candidates) {
            int d = EditDistance.between(lower, candidate);
            if (d <= tolerance(candidate) && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int tolerance(String known) {
        return known.length() < 5 ? 1 : 2;
    }

    /**
     * Whether a system property is meant as a config override: its first segment is a top-level key or section,
     * or it is a near miss of one (e.g. {@code dta.root}, {@code trian.epochs}, {@code seeed}). Properties of the
     * JVM, Maven and libraries ({@code java.*}, {@code user.*}, {@code maven.*}, {@code os.*}, …) never are.
     */
    public static boolean looksLikeConfigKey(String property) {
        String first = property.split("\\.", 2)[0];
        if (namesIn("").contains(first)) {
            return true;
        }
        String lowerFirst = first.toLowerCase(Locale.ROOT);
        if (FOREIGN_NAMESPACES.contains(lowerFirst) || FOREIGN_NAMESPACES.contains(property.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (nearest(property).isPresent()) {
            return true;
        }
        if (!property.contains(".")) {
            return false;
        }
        for (String section : namesIn("")) {
            if (isSection(section) && EditDistance.between(lowerFirst, section) <= tolerance(section)) {
                return true;
            }
        }
        return false;
    }

    /** The commented defaults of {@link Backbone#VGG16}, as loadable YAML. */
    public static String describe() {
        return describe(Backbone.VGG16);
    }

    /**
     * Every key with its default for a base, one line of documentation and what is allowed, as YAML that
     * {@link ConfigLoader} reads back to {@link PipelineConfig#defaults(Backbone)}. A key without a default
     * (the {@code train.epochs} shorthand) is shown commented out.
     */
    public static String describe(Backbone backbone) {
        StringBuilder out = new StringBuilder("# img2rec config keys and their defaults for ")
                .append(backbone.configName()).append(" (ConfigKeys.describe)\n")
                .append("# Every key can be overridden on the command line by its dotted name, e.g. -Dtrain.epochs=2.\n")
                .append("# Keys marked 'execution' say where and how a run executes; they are not part of the config")
                .append(" hash.\n");
        List<String> open = new ArrayList<>();
        for (ConfigKey<?> key : ALL) {
            List<String> section = key.section().isEmpty() ? List.of() : List.of(key.section().split("\\."));
            int common = 0;
            while (common < open.size() && common < section.size() && open.get(common).equals(section.get(common))) {
                common++;
            }
            open = new ArrayList<>(open.subList(0, common));
            if (common == 0 && !section.isEmpty()) {
                out.append('\n');
            }
            for (int i = common; i < section.size(); i++) {
                out.append("  ".repeat(i)).append(section.get(i)).append(":\n");
                open.add(section.get(i));
            }
            String indent = "  ".repeat(section.size());
            Optional<String> value = key.defaultText(backbone);
            String line = value.map(v -> indent + key.name() + ": " + v)
                    .orElse(indent + "# " + key.name() + ":");
            out.append(String.format(Locale.ROOT, "%-44s # %s; %s%s%n", line, key.doc(), key.allowed(),
                    key.identity() ? "" : " (execution)"));
        }
        return out.toString();
    }
}
