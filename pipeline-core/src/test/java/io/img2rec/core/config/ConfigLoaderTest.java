package io.img2rec.core.config;

import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.model.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final Path ROOT = ConfigLocator.projectRoot(Path.of(""));

    private static PipelineConfig bundled(String name) throws ConfigException {
        return ConfigLoader.load(ConfigLocator.resolve(name, ROOT), Map.of());
    }

    @Test
    void bundledVgg16ConfigReproducesTheOriginalRecipe() throws ConfigException {
        PipelineConfig c = bundled("vgg16.yaml");
        PipelineConfig recipe = PipelineConfig.defaults(Backbone.VGG16);
        // The bundled config differs from the bare recipe only in going on from random weights offline.
        ModelConfig expectedModel = new ModelConfig(recipe.model().architecture(), 150, PixelPreprocessing.BGR_RESCALE,
                recipe.model().resize(), recipe.model().dataFormat(), recipe.model().heads(), recipe.model().top(),
                "imagenet", ModelConfig.WeightsFallback.RANDOM, 5);
        assertEquals(expectedModel, c.model());
        // ... and in fine-tuning for 5 epochs instead of 50, to stay within 15 minutes on 2 cores.
        assertEquals(recipe.train().top(), c.train().top());
        assertEquals(new PhaseConfig(5, recipe.train().fineTune().optimizer()), c.train().fineTune());
        assertEquals(recipe.train().classWeights(), c.train().classWeights());
        assertEquals(recipe.train().batchSize(), c.train().batchSize());
        assertEquals(recipe.augment(), c.augment());
        assertEquals(List.of("hat", "beard", "eyewear"), c.labels());
        assertEquals(0.5, c.model().dl4jRetainProbabilityOfTop(), 0.0);
        assertEquals(5e-5, c.train().fineTune().optimizer().learningRate(), 0.0);
        assertEquals(0.9, c.train().fineTune().optimizer().momentum(), 0.0);
    }

    @Test
    void bundledResNet50ConfigUsesCaffePreprocessingAndItsOwnTop() throws ConfigException {
        PipelineConfig c = bundled("resnet50");
        assertEquals(Backbone.RESNET50, c.model().architecture());
        assertEquals(224, c.model().inputSize());
        assertEquals(PixelPreprocessing.CAFFE, c.model().preprocessing());
        assertEquals(new TopModelConfig(TopModelConfig.Pooling.GLOBAL_AVERAGE, 512, 0.25), c.model().top());
        assertEquals(PipelineConfig.defaults(Backbone.RESNET50).train(), c.train());
        assertEquals(0.75, c.model().dl4jRetainProbabilityOfTop(), 1e-12);
    }

    @Test
    void trainEpochsOverrideSetsBothPhasesAndPhaseKeysWin() throws ConfigException {
        Path file = ConfigLocator.resolve("vgg16.yaml", ROOT);
        PipelineConfig both = ConfigLoader.load(file, Map.of("train.epochs", "2"));
        assertEquals(2, both.train().top().epochs());
        assertEquals(2, both.train().fineTune().epochs());
        PipelineConfig mixed = ConfigLoader.load(file, Map.of("train.epochs", "2", "train.top.epochs", "7",
                "model.weights", "random", "labels", "hat,beard"));
        assertEquals(7, mixed.train().top().epochs());
        assertEquals(2, mixed.train().fineTune().epochs());
        assertEquals("random", mixed.model().weights());
        assertEquals(List.of("hat", "beard"), mixed.labels());
    }

    @Test
    void overridesAreTakenOnlyFromConfigKeys() {
        Properties props = new Properties();
        props.setProperty("train.epochs", "3");
        props.setProperty("config", "vgg16.yaml");
        props.setProperty("java.version", "17");
        assertEquals(Map.of("train.epochs", "3"), ConfigLoader.overridesFrom(props));
    }

    @Test
    void unknownKeyIsReportedWithFileAndKnownKeys() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("train:\n  epoch: 3\n", "my.yaml", Map.of()));
        assertTrue(e.getMessage().startsWith("my.yaml: train.epoch is not a known key"), e.getMessage());
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
    }

    @Test
    void unknownOverrideKeyIsReportedAgainstTheCommandLine() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("", "x.yaml", Map.of("train.epohcs", "2")));
        assertTrue(e.getMessage().startsWith("command line: train.epohcs (-Dtrain.epohcs=2) is not a known key "
                + "(did you mean train.epochs?)"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyValueAndWhatIsAllowed() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("train:\n  batch_size: sixteen\n", "x.yaml", Map.of()));
        assertEquals("x.yaml: train.batch_size = 'sixteen' is not allowed: a whole number from 1 to 4096",
                e.getMessage());
    }

    @Test
    void outOfRangeAndBadChoiceAreAllReportedTogether() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "model:\n  architecture: vgg19\n  top: {dropout: 1.5}\naugment:\n  zoom: [1.7, 0.8]\n", "x.yaml",
                Map.of()));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("model.architecture = 'vgg19' is not allowed: one of vgg16, resnet50, tiny_cnn"));
        assertTrue(e.getMessage().contains("model.top.dropout = 1.5 is not allowed: a number from 0.0 to 0.95"));
        assertTrue(e.getMessage().contains("augment.zoom = [1.7,0.8] is not allowed"));
    }

    @Test
    void recordPreconditionsBecomeProblemsNamingTheKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "data:\n  split: {train: 0.5, validation: 0.1, test: 0.1}\n", "x.yaml", Map.of()));
        assertTrue(e.getMessage().contains("data.split: train + validation + test = 0.7"), e.getMessage());
    }

    @Test
    void labelThatIsAlsoBackgroundFolderIsRejected() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "labels: [hat, none]\n", "x.yaml", Map.of()));
        assertTrue(e.getMessage().contains("'none' is also a label"), e.getMessage());
    }

    @Test
    void missingFileAndBrokenYamlGiveOneLineErrors(@TempDir Path dir) throws Exception {
        var missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(missing.getMessage().endsWith("nope.yaml: the file does not exist"), missing.getMessage());
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "train:\n  epochs: [1, 2\n");
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(broken, Map.of()));
        assertTrue(e.getMessage().contains("is not valid YAML at line"), e.getMessage());
    }

    @Test
    void bareConfigNameResolvesAgainstConfigsFolderAndUnknownNameListsAvailable() throws ConfigException {
        assertEquals(ROOT.resolve("configs/vgg16.yaml"), ConfigLocator.resolve("vgg16", ROOT));
        var e = assertThrows(ConfigException.class, () -> ConfigLocator.resolve("vgg19.yaml", ROOT));
        assertTrue(e.getMessage().contains("available in configs/: [resnet50.yaml, vgg16.yaml"), e.getMessage());
    }

    @Test
    void writtenYamlReadsBackToAnEqualConfigWithTheSameHash() throws ConfigException {
        for (String name : List.of("vgg16", "resnet50")) {
            PipelineConfig original = ConfigLoader.load(ConfigLocator.resolve(name, ROOT),
                    Map.of("train.epochs", "3", "augment.copies", "2"));
            PipelineConfig again = ConfigLoader.parse(ConfigWriter.toYaml(original), "written", Map.of());
            assertEquals(original, again);
            assertEquals(ConfigWriter.hash(original), ConfigWriter.hash(again));
        }
        assertTrue(!ConfigWriter.hash(PipelineConfig.defaults(Backbone.VGG16))
                .equals(ConfigWriter.hash(PipelineConfig.defaults(Backbone.RESNET50))));
    }
}
