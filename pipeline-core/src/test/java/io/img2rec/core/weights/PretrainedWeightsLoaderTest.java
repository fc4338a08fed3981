package io.img2rec.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.img2rec.core.config.ModelConfig.WeightsFallback;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class PretrainedWeightsLoaderTest {

    @TempDir
    Path dir;

    private WeightsLocations emptyLocations() {
        return new WeightsLocations(dir.resolve("dl4j"), dir.resolve("keras"));
    }

    private static ComputationGraph tiny(long seed) {
        return KerasWeightsImportTest.tinyCnn(CNN2DFormat.NHWC, seed);
    }

    private static final String NO_MD5 = "00000000000000000000000000000000";

    private ImageNetWeightFiles tinyFiles(long adler32) {
        return tinyFiles(adler32, NO_MD5);
    }

    private ImageNetWeightFiles tinyFiles(long adler32, String kerasMd5) {
        return new ImageNetWeightFiles("tinycnn", "https://example.invalid/models/tiny_zoo.zip", adler32,
                "tiny_notop.h5", "https://example.invalid/tiny_notop.h5", kerasMd5, java.util.Map.of());
    }

    @Test
    void missingImageNetWeightsWithRandomFallbackSayRandomAndWhere() throws Exception {
        ComputationGraph graph = KerasWeightsImportTest.tinyCnn(CNN2DFormat.NHWC, 1);
        INDArray before = graph.params().dup();
        WeightsLocations locations = emptyLocations();

        WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(1)))
                .load(graph, Backbone.TINY_CNN, "imagenet", WeightsFallback.RANDOM);

        assertEquals(WeightsSource.Kind.RANDOM_FALLBACK, source.kind());
        assertFalse(source.pretrained());
        assertTrue(source.description().startsWith("random initialisation — ImageNet weights were not found"),
                source.description());
        assertTrue(source.description().contains(locations.zooCacheFile("tinycnn", "tiny_zoo.zip").toString()));
        assertTrue(source.description().contains(locations.kerasFile("tiny_notop.h5").toString()));
        assertEquals(before, graph.params());
    }

    @Test
    void missingImageNetWeightsWithoutFallbackExplainHowToSupplyThem() {
        WeightsLocations locations = emptyLocations();
        ComputationGraph vgg = Backbone.VGG16.architecture()
                .create(new ArchitectureOptions(32, CNN2DFormat.NHWC, 1), 1);

        WeightsUnavailableException e = assertThrows(WeightsUnavailableException.class,
                () -> new PretrainedWeightsLoader(locations).load(vgg, Backbone.VGG16, "imagenet",
                        WeightsFallback.NONE));

        String m = e.getMessage();
        assertTrue(m.contains("https://dl4jdata.blob.core.windows.net/models/vgg16_dl4j_inference.zip"), m);
        assertTrue(m.contains("3501732770"), m);
        assertTrue(m.contains(locations.zooCacheFile("vgg16", "vgg16_dl4j_inference.zip").toString()), m);
        assertTrue(m.contains(locations.kerasFile("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5").toString()), m);
        assertTrue(m.contains("model.weights: <path>"), m);
        assertTrue(m.contains("-Dmodel.weights_fallback=random"), m);
    }

    @Test
    void resNet50CatalogueNamesTheKerasNotopFileAndTheZooZip() {
        ImageNetWeightFiles files = ImageNetWeightFiles.of(Backbone.RESNET50).orElseThrow();
        assertEquals("resnet50", files.zooModelName());
        assertEquals("resnet50_dl4j_inference.v3.zip", files.zooFileName());
        assertEquals(3914447815L, files.zooAdler32());
        assertEquals("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", files.kerasNotopFile());
        assertTrue(ImageNetWeightFiles.of(Backbone.TINY_CNN).isEmpty());
    }

    @Test
    void zooCacheFileWithWrongChecksumGivesAClearMessageAndIsKept() throws Exception {
        WeightsLocations locations = emptyLocations();
        Path cached = locations.zooCacheFile("vgg16", "vgg16_dl4j_inference.zip");
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, "not the model");
        long actual = PretrainedWeightsLoader.adler32(cached);
        ComputationGraph vgg = Backbone.VGG16.architecture()
                .create(new ArchitectureOptions(32, CNN2DFormat.NHWC, 1), 1);

        WeightsUnavailableException e = assertThrows(WeightsUnavailableException.class,
                () -> new PretrainedWeightsLoader(locations).load(vgg, Backbone.VGG16, "imagenet",
                        WeightsFallback.NONE));

        String m = e.getMessage();
        assertTrue(m.contains("the cached file " + cached + " has checksum " + actual + ", expected 3501732770"), m);
        assertTrue(m.contains("delete it and download it again from "
                + "https://dl4jdata.blob.core.windows.net/models/vgg16_dl4j_inference.zip"), m);
        assertTrue(m.contains("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), m);
        assertTrue(Files.exists(cached), "unlike DL4J's zoo we do not delete the user's file");
    }

    @Test
    void zooCacheWithTheExpectedChecksumLoadsTheBase() throws Exception {
        WeightsLocations locations = emptyLocations();
        ComputationGraph pretrained = tiny(11);
        Path cached = locations.zooCacheFile("tinycnn", "tiny_zoo.zip");
        Files.createDirectories(cached.getParent());
        ModelSerializer.writeModel(pretrained, cached.toFile(), false);
        long adler = PretrainedWeightsLoader.adler32(cached);
        ComputationGraph graph = tiny(12);
        INDArray topBefore = graph.getLayer("top_output").getParam("W").dup();

        WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(adler)))
                .load(graph, Backbone.TINY_CNN, "imagenet", WeightsFallback.NONE);

        assertEquals(WeightsSource.Kind.IMAGENET_DL4J_ZOO, source.kind());
        assertEquals("adler32:" + adler, source.checksum());
        assertEquals(3, source.layersLoaded());
        assertEquals(pretrained.getLayer("tiny2_conv").getParam("W"), graph.getLayer("tiny2_conv").getParam("W"));
        assertEquals(topBefore, graph.getLayer("top_output").getParam("W"), "the top is never taken from ImageNet");
    }

    @Test
    void zooModelOfAnotherGeometryFallsThroughToTheKerasFileAndSaysWhy() throws Exception {
        WeightsLocations locations = emptyLocations();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("input").setInputTypes(InputType.convolutional(16, 16, 3, CNN2DFormat.NHWC))
                .addLayer("tiny1_conv", new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .build(), "input")
                .setOutputs("tiny1_conv").build();
        ComputationGraph other = new ComputationGraph(conf);
        other.init();
        Path cached = locations.zooCacheFile("tinycnn", "tiny_zoo.zip");
        Files.createDirectories(cached.getParent());
        ModelSerializer.writeModel(other, cached.toFile(), false);
        long adler = PretrainedWeightsLoader.adler32(cached);
        Files.createDirectories(locations.kerasModelsDir());
        KerasWeightsImportTest.tinyCnnKerasWeights(5).write(locations.kerasFile("tiny_notop.h5"));
        String md5 = FileDigests.of(locations.kerasFile("tiny_notop.h5")).md5();
        ComputationGraph graph = tiny(12);

        WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(adler, md5)))
                .load(graph, Backbone.TINY_CNN, "imagenet", WeightsFallback.NONE);

        assertEquals(WeightsSource.Kind.IMAGENET_KERAS_H5, source.kind());
        assertTrue(source.checksum().startsWith("sha256:"));
        assertTrue(source.description().contains("do not fit") && source.description().contains("'tiny1_conv'"),
                source.description());
    }

    @Test
    void dl4jZipPathRoundTripsEveryLayer() throws Exception {
        ComputationGraph saved = tiny(21);
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(saved, zip.toFile(), false);
        ComputationGraph graph = tiny(22);
        assertNotEquals(saved.params(), graph.params());

        WeightsSource source = new PretrainedWeightsLoader(emptyLocations())
                .load(graph, Backbone.TINY_CNN, zip.toString(), WeightsFallback.NONE);

        assertEquals(WeightsSource.Kind.FILE_DL4J_ZIP, source.kind());
        assertEquals(5, source.layersLoaded());
        assertEquals(saved.params(), graph.params());
        assertTrue(source.description().contains("3 base layers, 2 top layers"), source.description());
    }

    @Test
    void kerasH5PathOfWrongShapeNamesTheLayer() throws Exception {
        Path h5 = dir.resolve("wrong.h5");
        KerasWeightsImportTest.tinyCnnKerasWeights(1)
                .layer("tiny3_conv", java.util.Map.of("kernel:0", org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT,
                        5, 5, 16, 16), "bias:0", org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 16)))
                .write(h5);
        WeightsException e = assertThrows(WeightsException.class, () -> new PretrainedWeightsLoader(emptyLocations())
                .load(tiny(1), Backbone.TINY_CNN, h5.toString(), WeightsFallback.RANDOM));
        assertTrue(e.getMessage().contains("'tiny3_conv'") && e.getMessage().contains("[5, 5, 16, 16]"),
                e.getMessage());
    }

    @Test
    void randomSettingLeavesTheGraphAndSaysSo() throws Exception {
        ComputationGraph graph = tiny(1);
        INDArray before = graph.params().dup();
        WeightsSource source = new PretrainedWeightsLoader(emptyLocations())
                .load(graph, Backbone.TINY_CNN, "random", WeightsFallback.NONE);
        assertEquals(WeightsSource.Kind.RANDOM, source.kind());
        assertEquals("random", source.kind().configName());
        assertEquals(before, graph.params());
    }

    @Test
    void vgg16KerasNotopFileLoadsInto150PixelGraph() throws Exception {
        WeightsLocations locations = emptyLocations();
        Files.createDirectories(locations.kerasModelsDir());
        KerasWeightsH5Writer writer = new KerasWeightsH5Writer();
        int[] filters = {64, 128, 256, 512, 512};
        int[] convs = {2, 2, 3, 3, 3};
        int in = 3;
        for (int b = 1; b <= 5; b++) {
            for (int c = 1; c <= convs[b - 1]; c++) {
                int out = filters[b - 1];
                writer.layer("block" + b + "_conv" + c, java.util.Map.of(
                        "kernel:0", org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {3, 3, in, out}, b + c / 10f,
                                DataType.FLOAT),
                        "bias:0", org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {out}, -b, DataType.FLOAT)));
                in = out;
            }
        }
        Path h5 = locations.kerasFile("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
        writer.write(h5);
        String sha256 = FileDigests.of(h5).sha256();
        ComputationGraph vgg = Backbone.VGG16.architecture().create(ArchitectureOptions.defaults(
                Backbone.VGG16.architecture(), 1), 1);

        // a generated file has not Keras' md5: the configured SHA-256 replaces it as the check
        WeightsSource source = new PretrainedWeightsLoader(locations.withDownload(WeightsDownload.disabled()
                .withSha256(Backbone.VGG16, sha256))).load(vgg, Backbone.VGG16, "imagenet",
                WeightsFallback.NONE);

        assertEquals(WeightsSource.Kind.IMAGENET_KERAS_H5, source.kind());
        assertEquals(13, source.layersLoaded());
        assertEquals(5.3f, vgg.getLayer("block5_conv3").getParam("W").getFloat(511, 100, 2, 0), 1e-6f);
        assertEquals(-4f, vgg.getLayer("block4_conv1").getParam("b").getFloat(0), 0f);
        assertEquals("sha256:" + sha256, source.checksum());
        assertTrue(source.description().contains("checked: the configured sha256"), source.description());
        assertEquals(sha256 + "  vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5\n",
                Files.readString(VerifiedDownload.sha256File(h5)), "what was verified is recorded next to the file");
    }

    @Test
    void kerasFileInPlaceWithTheWrongMd5IsNotUsedAndTheMessageNamesBothSums() throws Exception {
        WeightsLocations locations = emptyLocations();
        Files.createDirectories(locations.kerasModelsDir());
        Path h5 = locations.kerasFile("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
        Files.writeString(h5, "not the weights");
        String actual = FileDigests.of(h5).md5();
        ComputationGraph vgg = Backbone.VGG16.architecture()
                .create(new ArchitectureOptions(32, CNN2DFormat.NHWC, 1), 1);

        WeightsUnavailableException e = assertThrows(WeightsUnavailableException.class,
                () -> new PretrainedWeightsLoader(locations).load(vgg, Backbone.VGG16, "imagenet",
                        WeightsFallback.NONE));

        assertTrue(e.getMessage().contains(h5 + " has md5 " + actual + " (expected 6d6bbae143d832006294945121d1f1fc)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("downloading is off"), e.getMessage());
        assertTrue(Files.exists(h5), "a file the user put there is not deleted");
    }

    @Test
    void missingKerasFileIsDownloadedFromTheBaseUrlVerifiedAndLoaded() throws Exception {
        Path generated = dir.resolve("served.h5");
        KerasWeightsImportTest.tinyCnnKerasWeights(9).write(generated);
        FileDigests served = FileDigests.of(generated);
        try (LoopbackFileServer server = new LoopbackFileServer()
                .serve("tiny_notop.h5", Files.readAllBytes(generated))) {
            WeightsLocations locations = emptyLocations().withDownload(WeightsDownload.defaults()
                    .withMirror(server.baseUrl()).withTimeouts(java.time.Duration.ofSeconds(2),
                            java.time.Duration.ofSeconds(2)).withRetries(2, java.time.Duration.ofMillis(10)));
            ComputationGraph graph = tiny(12);

            WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(1, served.md5())))
                    .load(graph, Backbone.TINY_CNN, "imagenet", WeightsFallback.NONE);

            Path cached = locations.kerasFile("tiny_notop.h5");
            assertEquals(WeightsSource.Kind.IMAGENET_KERAS_H5, source.kind());
            assertEquals(cached.toString(), source.location());
            assertEquals("sha256:" + served.sha256(), source.checksum());
            assertEquals(3, source.layersLoaded());
            assertTrue(source.description().contains("downloaded from " + server.baseUrl() + "tiny_notop.h5"),
                    source.description());
            assertEquals(served, FileDigests.of(cached));
            assertEquals(1, server.requests().size());

            // a second run finds it in place and checks it without asking the server
            new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(1, served.md5())))
                    .load(tiny(13), Backbone.TINY_CNN, "imagenet", WeightsFallback.NONE);
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void refusedDownloadFallsBackToRandomAndSaysWhatWasTried() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + closedPort + "/mirror/");
        WeightsLocations locations = emptyLocations().withDownload(WeightsDownload.defaults().withMirror(base)
                .withTimeouts(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1))
                .withRetries(2, java.time.Duration.ofMillis(10)));

        WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(1)))
                .load(tiny(1), Backbone.TINY_CNN, "imagenet", WeightsFallback.RANDOM);

        assertEquals(WeightsSource.Kind.RANDOM_FALLBACK, source.kind());
        String d = source.description();
        assertTrue(d.contains("could not download " + base + "tiny_notop.h5"), d);
        assertTrue(d.contains("attempts 1-2: cannot connect"), d);
    }

    @Test
    void kerasFileInPlaceWithTheWrongMd5IsReplacedByAVerifiedDownload() throws Exception {
        Path generated = dir.resolve("served.h5");
        KerasWeightsImportTest.tinyCnnKerasWeights(4).write(generated);
        FileDigests served = FileDigests.of(generated);
        try (LoopbackFileServer server = new LoopbackFileServer()
                .serve("tiny_notop.h5", Files.readAllBytes(generated))) {
            WeightsLocations locations = emptyLocations().withDownload(WeightsDownload.defaults()
                    .withMirror(server.baseUrl()).withRetries(1, java.time.Duration.ZERO));
            Path cached = locations.kerasFile("tiny_notop.h5");
            Files.createDirectories(cached.getParent());
            Files.writeString(cached, "a damaged copy");

            WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(tinyFiles(1, served.md5())))
                    .load(tiny(2), Backbone.TINY_CNN, "imagenet", WeightsFallback.NONE);

            assertEquals(WeightsSource.Kind.IMAGENET_KERAS_H5, source.kind());
            assertEquals(served, FileDigests.of(cached));
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void tfKerasResNet50FileInPlaceIsNamedForWhatItIsAndNotOverwritten() throws Exception {
        WeightsLocations locations = emptyLocations().withDownload(WeightsDownload.defaults()
                .withMirror(java.net.URI.create("http://127.0.0.1:9/unused/")));
        Path h5 = locations.kerasFile("tiny_notop.h5");
        Files.createDirectories(h5.getParent());
        Files.writeString(h5, "a file of the same name from another Keras");
        String md5 = FileDigests.of(h5).md5();
        ImageNetWeightFiles files = new ImageNetWeightFiles("tinycnn", "https://example.invalid/models/tiny_zoo.zip",
                1, "tiny_notop.h5", "https://example.invalid/tiny_notop.h5", NO_MD5,
                java.util.Map.of(md5, "it is another tool's file"));

        WeightsSource source = new PretrainedWeightsLoader(locations, b -> Optional.of(files))
                .load(tiny(1), Backbone.TINY_CNN, "imagenet", WeightsFallback.RANDOM);

        assertEquals(WeightsSource.Kind.RANDOM_FALLBACK, source.kind());
        assertTrue(source.description().contains("not used, because it is another tool's file"), source.description());
        assertTrue(source.description().contains("-Dimg2rec.keras.models"), source.description());
        assertEquals("a file of the same name from another Keras", Files.readString(h5));
    }
}
