package io.img2rec.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.img2rec.core.model.Backbone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigKeysTest {
    private static final Path ROOT = ConfigLocator.projectRoot(Path.of(""));

    @Test
    void bundledConfigsMentionOnlyDeclaredKeys() throws Exception {
        for (String name : List.of("vgg16.yaml", "resnet50.yaml")) {
            JsonNode tree = new YAMLMapper().readTree(Files.readString(ROOT.resolve("configs").resolve(name)));
            List<String> unknown = new ArrayList<>();
            collectUnknown(tree, "", unknown);
            assertEquals(List.of(), unknown, name + " mentions keys that ConfigKeys does not declare");
        }
    }

    private static void collectUnknown(JsonNode node, String prefix, List<String> unknown) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (ConfigKeysTest.isSection(path) && node.get(name).isObject()) {
                collectUnknown(node.get(name), path, unknown);
            } else if (ConfigKeys.find(path).isEmpty()) {
                unknown.add(path);
            }
        }
    }

    private static boolean isSection(String path) {
        return ConfigKeys.isSection(path);
    }

    @Test
    void describedDefaultsAreLoadableYamlThatReadsBackToTheDefaults() throws ConfigException {
        for (Backbone backbone : Backbone.values()) {
            String described = ConfigKeys.describe(backbone);
            assertEquals(PipelineConfig.defaults(backbone), ConfigLoader.parse(described, "describe", Map.of()),
                    described);
        }
        String vgg16 = ConfigKeys.describe();
        assertTrue(vgg16.contains("  max_pixels: 40000000"), vgg16);
        assertTrue(vgg16.contains("read from the header; larger images are rejected, never decoded; a whole number"
                + " from 1 to 1000000000"), vgg16);
        assertTrue(vgg16.contains("  # epochs:"), "the shorthand has no default and is shown commented out:\n" + vgg16);
        assertTrue(vgg16.contains("(execution)"), vgg16);
    }

    @Test
    void everyKeyIsDocumentedAndEveryWrittenKeyIsWritten() throws Exception {
        String yaml = ConfigWriter.toYaml(PipelineConfig.defaults(Backbone.VGG16));
        JsonNode tree = new YAMLMapper().readTree(yaml);
        for (ConfigKey<?> key : ConfigKeys.all()) {
            assertFalse(key.doc().isBlank(), key.path());
            assertFalse(key.allowed().isBlank(), key.path());
            JsonNode node = tree;
            for (String segment : key.path().split("\\.")) {
                node = node.path(segment);
            }
            assertEquals(key.written(), !node.isMissingNode(), key.path() + " in\n" + yaml);
        }
    }

    @Test
    void knownKeysOfASectionAreCompleteIncludingTheEpochsShorthand() {
        assertEquals(List.of("batch_size", "class_weights", "checkpoint_metric", "early_stopping_patience",
                "checkpoint_interval_seconds", "epochs", "top", "fine_tune"), ConfigKeys.namesIn("train"));
        assertEquals(List.of("name", "seed", "labels", "runs_dir", "data", "model", "train", "augment", "cache"),
                ConfigKeys.namesIn(""));
        assertEquals(java.util.Set.copyOf(ConfigKeys.namesIn("")), ConfigLoader.TOP_LEVEL_KEYS);
    }

    @Test
    void threadsAndOtherExecutionSettingsStayOutOfTheHashButInTheResolvedYaml() throws ConfigException {
        PipelineConfig twoCores = ConfigLoader.parse("data: {threads: 2}\n", "a.yaml", Map.of());
        PipelineConfig eightCores = ConfigLoader.parse("data: {threads: 8}\n", "b.yaml",
                Map.of("cache.ram_budget_mb", "512", "runs_dir", "/tmp/elsewhere"));
        assertNotEquals(twoCores, eightCores);
        assertEquals(ConfigWriter.hash(twoCores), ConfigWriter.hash(eightCores));
        assertFalse(ConfigWriter.identityYaml(twoCores).contains("threads"));
        assertTrue(ConfigWriter.toYaml(eightCores).contains("threads: 8"), ConfigWriter.toYaml(eightCores));
        assertEquals(8, ConfigLoader.parse(ConfigWriter.toYaml(eightCores), "config.yaml", Map.of()).data().threads());
        PipelineConfig otherSeed = ConfigLoader.parse("data: {threads: 2}\nseed: 43\n", "c.yaml", Map.of());
        assertNotEquals(ConfigWriter.hash(twoCores), ConfigWriter.hash(otherSeed));
    }

    @Test
    void hashIsStableTextNotDependentOnMapOrder() {
        String identity = ConfigWriter.identityYaml(PipelineConfig.defaults(Backbone.VGG16));
        assertTrue(identity.indexOf("train: 0.7") < identity.indexOf("validation: 0.15")
                && identity.indexOf("validation: 0.15") < identity.indexOf("test: 0.15"), identity);
    }

    @Test
    void runFolderConfigWrittenByTheEarlierWriterStillLoads() throws ConfigException {
        // config.yaml as the writer before the key declarations wrote it (threads included, split as a map).
        String old = """
                name: vgg16
                seed: 42
                labels:
                - hat
                - beard
                - eyewear
                runs_dir: runs
                data:
                  root: datasets/sample
                  background_folders:
                  - none
                  split:
                    validation: 0.15
                    test: 0.15
                    train: 0.7
                  max_pixels: 40000000
                  min_side: 32
                  threads: 2
                model:
                  architecture: vgg16
                  input_size: 150
                  preprocessing: bgr_rescale
                  resize: nearest
                  data_format: nchw
                  heads: per_label
                  top:
                    pooling: flatten
                    dense_units: 256
                    dropout: 0.5
                  weights: imagenet
                  weights_fallback: random
                  unfrozen_layers: 5
                train:
                  batch_size: 16
                  class_weights: balanced
                  checkpoint_metric: auc
                  early_stopping_patience: 0
                  checkpoint_interval_seconds: 60
                  top:
                    epochs: 50
                    optimizer: adam
                    learning_rate: 0.001
                    momentum: 0.0
                  fine_tune:
                    epochs: 5
                    optimizer: sgd_momentum
                    learning_rate: 5.0E-5
                    momentum: 0.9
                augment:
                  enabled: true
                  copies: 4
                  zoom:
                  - 0.8
                  - 1.7
                  shear: 0.2
                  brightness:
                  - 0.5
                  - 1.5
                  rotation: 40.0
                  width_shift: 0.2
                  height_shift: 0.2
                  horizontal_flip: true
                cache:
                  ram_budget_mb: 2048
                """;
        PipelineConfig c = ConfigLoader.parse(old, "runs/x/config.yaml", Map.of());
        assertEquals(ConfigLoader.load(ROOT.resolve("configs/vgg16.yaml"), Map.of()), c);
        assertEquals(c, ConfigLoader.parse(ConfigWriter.toYaml(c), "again", Map.of()));
    }

    @Test
    void misspeltTopLevelOverrideIsAnErrorNamingTheNearestKeyAndTheCommandLine() {
        Properties props = new Properties();
        props.setProperty("dta.root", "/photos");
        props.setProperty("config", "vgg16.yaml");
        Map<String, String> overrides = ConfigLoader.overridesFrom(props);
        assertEquals(Map.of("dta.root", "/photos"), overrides);
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ROOT.resolve("configs/vgg16.yaml"), overrides));
        assertEquals("command line: dta.root (-Ddta.root=/photos) is not a known key (did you mean data.root?); "
                + "known keys at the top level: name, seed, labels, runs_dir, data, model, train, augment, cache",
                e.getMessage());
    }

    @Test
    void trainEpochOverrideIsReportedAgainstTheCommandLineWithTheCompleteKeyList() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ROOT.resolve("configs/vgg16.yaml"),
                ConfigLoader.overridesFrom(Map.of("train.epoch", "1"))));
        assertEquals("command line: train.epoch (-Dtrain.epoch=1) is not a known key (did you mean train.epochs?); "
                + "known keys in train: batch_size, class_weights, checkpoint_metric, early_stopping_patience, "
                + "checkpoint_interval_seconds, epochs, top, fine_tune", e.getMessage());
        assertFalse(e.getMessage().contains("vgg16.yaml"), e.getMessage());
    }

    @Test
    void nearMissesOfKeysAndSectionsAreTakenAsOverrides() {
        for (String near : List.of("dta.root", "trian.epochs", "modle.weights", "augmnet.copies", "seeed", "label",
                "cahce.ram_budget_mb", "data.rot", "Train.epochs")) {
            assertTrue(ConfigKeys.looksLikeConfigKey(near), near);
        }
    }

    @Test
    void jvmMavenAndLibraryPropertiesAreNeverTakenAsOverrides() {
        Properties props = new Properties();
        props.putAll(System.getProperties());
        for (String name : List.of("java.home", "java.version", "user.dir", "user.name", "user.home", "os.name",
                "os.arch", "file.encoding", "file.separator", "line.separator", "path.separator", "sun.arch.data.model",
                "maven.repo.local", "maven.home", "exec.args", "exec.mainClass", "org.slf4j.simpleLogger.defaultLogLevel",
                "jdk.debug", "javacpp.platform", "native.encoding", "stdout.encoding", "basedir", "localRepository",
                "surefire.test.class.path", "classworlds.conf", "library.jansi.path", "img2rec.root", "config", "resume",
                "run", "out", "skipTests", "test", "guice.disable.misplaced.annotation.check", "awt.toolkit",
                "http.proxyHost", "https.proxyPort", "javax.net.ssl.trustStore", "io.netty.noUnsafe", "env.HOME")) {
            props.setProperty(name, "x");
        }
        assertEquals(Map.of(), ConfigLoader.overridesFrom(props));
    }

    @Test
    void overrideValueErrorNamesTheOverrideAndTheCommandLine() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("", "x.yaml", Map.of("train.batch_size", "sixteen")));
        assertEquals("command line: train.batch_size = 'sixteen' (-Dtrain.batch_size=sixteen) is not allowed: "
                + "a whole number from 1 to 4096", e.getMessage());
    }

    @Test
    void problemsFromTheFileAndTheCommandLineAreListedTogether() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("train:\n  batch_size: 0\n", "x.yaml", Map.of("seeed", "1")));
        assertTrue(e.getMessage().startsWith("x.yaml and the command line: 2 problems:"), e.getMessage());
        assertTrue(e.getMessage().contains("train.batch_size = 0 is not allowed"), e.getMessage());
        assertTrue(e.getMessage().contains("seeed (-Dseeed=1) is not a known key (did you mean seed?)"), e.getMessage());
    }

    @Test
    void recordPreconditionCausedByAnOverrideNamesIt() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("", "x.yaml", Map.of("data.split.train", "0.9")));
        assertTrue(e.getMessage().startsWith("command line: data.split: train + validation + test = "), e.getMessage());
        assertTrue(e.getMessage().contains("(with -Ddata.split.train=0.9 from the command line)"), e.getMessage());
    }

    @Test
    void sectionOverrideSetsItsKeysAndABareSectionValueIsRefused() throws ConfigException {
        PipelineConfig c = ConfigLoader.parse("", "x.yaml", Map.of("model.top", "{dropout: 0.3}"));
        assertEquals(0.3, c.model().top().dropout(), 0.0);
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("", "x.yaml", Map.of("model.top", "3")));
        assertTrue(e.getMessage().startsWith("command line: model.top (-Dmodel.top=3) is a section, not a key"),
                e.getMessage());
    }

    @Test
    void recordsBuiltInCodeAreCheckedAgainstTheDeclaredRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CacheConfig(-1));
        assertEquals("cache.ram_budget_mb = -1 is not allowed: a whole number from 0 to 1000000", e.getMessage());
        var zoom = assertThrows(IllegalArgumentException.class, () -> new AugmentConfig(true, 4, 1.7, 0.8, 0.2, 0.5,
                1.5, 40, 0.2, 0.2, true));
        assertTrue(zoom.getMessage().startsWith("augment.zoom = [1.7, 0.8] is not allowed"), zoom.getMessage());
    }

    @Test
    void namesThatBecomeFolderNamesAreCheckedByTheirDeclaration() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("name: 'my run'\nlabels: []\n", "x.yaml", Map.of()));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("name = 'my run' is not allowed: 1-64 letters, digits"), e.getMessage());
        assertTrue(e.getMessage().contains("labels = [] is not allowed: a list of at least 1"), e.getMessage());
        var code = assertThrows(IllegalArgumentException.class, () -> new PipelineConfig("ok", 1, List.of("a/b"),
                DataConfig.defaults(), ModelConfig.defaults(Backbone.VGG16), TrainConfig.defaults(),
                AugmentConfig.defaults(), CacheConfig.defaults(), Path.of("runs")));
        assertTrue(code.getMessage().startsWith("labels = [a/b] is not allowed"), code.getMessage());
    }

    @Test
    void textThatYamlWouldMisreadIsQuotedInTheListing() {
        assertEquals("datasets/sample", ConfigType.flow("datasets/sample"));
        assertEquals("'yes'", ConfigType.flow("yes"));
        assertEquals("'1e3'", ConfigType.flow("1e3"));
        assertEquals("'a: b'", ConfigType.flow("a: b"));
        assertEquals("[none, 'it''s']", ConfigType.flow(List.of("none", "it's")));
    }

    @Test
    void editDistanceCountsASwapAsOneStep() {
        assertEquals(1, EditDistance.between("trian", "train"));
        assertEquals(1, EditDistance.between("dta", "data"));
        assertEquals(3, EditDistance.between("java", "name"));
        assertEquals(0, EditDistance.between("", ""));
    }
}
