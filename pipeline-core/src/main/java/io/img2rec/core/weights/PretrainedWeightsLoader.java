package io.img2rec.core.weights;

import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.config.ModelConfig.WeightsFallback;
import io.img2rec.core.io.Sha256;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.Adler32;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the base of a freshly initialised graph of one of our architectures with pretrained weights, as
 * {@code model.weights} says, and tells where they came from.
 *
 * <ul>
 *   <li>{@code imagenet}: (1) DL4J's model-zoo zip, only if already in the zoo cache (never downloaded from here) and
 *       its Adler32 checksum is the one DL4J expects; its layers are matched by name and shape (DL4J's zoo ResNet50
 *       may not fit our standard ResNet50: then we say why and go on); (2) the Keras Applications "notop" h5 in the
 *       Keras models folder, checked against Keras' published MD5 (or a configured SHA-256), and downloaded there
 *       ({@link VerifiedDownload}) when absent or wrong and {@link WeightsDownload#enabled()}. If neither gives weights: random initialisation when {@code weights_fallback: random},
 *       else {@link WeightsUnavailableException} saying how to supply them.</li>
 *   <li>{@code random}: the graph is left as initialised.</li>
 *   <li>a path: a Keras weights {@code .h5} or a DL4J ModelSerializer {@code .zip}; the base's layers must all be
 *       there and fit, our top's layers are loaded when present and fitting.</li>
 * </ul>
 * The top ({@code top_*} layers) is never taken from ImageNet files. The loader holds no state besides its locations.
 */
public final class PretrainedWeightsLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainedWeightsLoader.class);

    private final WeightsLocations locations;
    private final Function<Backbone, Optional<ImageNetWeightFiles>> catalogue;

    /** A loader looking in {@code locations} for the ImageNet files DL4J's zoo and Keras Applications name. */
    public PretrainedWeightsLoader(WeightsLocations locations) {
        this(locations, ImageNetWeightFiles::of);
    }

    /** A loader with its own catalogue of ImageNet files per backbone (tests use it for a tiny "zoo" file). */
    public PretrainedWeightsLoader(WeightsLocations locations,
                                   Function<Backbone, Optional<ImageNetWeightFiles>> catalogue) {
        this.locations = Objects.requireNonNull(locations, "locations");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /** {@link #load(ComputationGraph, Backbone, String, WeightsFallback)} with the settings of {@code model}. */
    public WeightsSource load(ComputationGraph graph, ModelConfig model) throws WeightsException {
        return load(graph, model.architecture(), model.weights(), model.weightsFallback());
    }

    /**
     * @param graph    a freshly initialised graph of {@code backbone}'s architecture (base + our top); its parameters
     *                 are overwritten in place
     * @param weights  {@code imagenet}, {@code random} or a path to a {@code .h5} / {@code .zip} file
     * @param fallback what to do when ImageNet weights cannot be had
     * @throws WeightsUnavailableException ImageNet weights not found and no random fallback
     * @throws WeightsException            a file that cannot be read or does not fit (the message names the layer)
     */
    public WeightsSource load(ComputationGraph graph, Backbone backbone, String weights, WeightsFallback fallback)
            throws WeightsException {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(fallback, "fallback");
        String setting = weights.trim();
        if (setting.equalsIgnoreCase("random")) {
            return WeightsSource.random(WeightsSource.Kind.RANDOM,
                    "random initialisation (glorot uniform), as configured (model.weights: random)");
        }
        Set<String> base = baseLayers(graph, backbone);
        if (setting.equalsIgnoreCase("imagenet")) {
            return loadImageNet(graph, backbone, base, fallback);
        }
        return loadFile(graph, backbone, base, Path.of(setting));
    }

    /** @return the parameterised layers of {@code graph} that belong to {@code backbone}'s base (not our top) */
    static Set<String> baseLayers(ComputationGraph graph, Backbone backbone) {
        Set<String> baseVertices = backbone.architecture()
                .baseConfiguration(new ArchitectureOptions(backbone.defaultInputSize(), CNN2DFormat.NCHW, 0))
                .getVertices().keySet();
        Set<String> base = new LinkedHashSet<>();
        for (String name : WeightsImport.parameterisedLayers(graph)) {
            if (baseVertices.contains(name)) {
                base.add(name);
            }
        }
        if (base.isEmpty()) {
            throw new IllegalArgumentException("the graph has none of the layers of " + backbone.configName()
                    + "'s base: was it built from " + backbone.configName() + "'s architecture?");
        }
        return base;
    }

    private WeightsSource loadImageNet(ComputationGraph graph, Backbone backbone, Set<String> base,
                                       WeightsFallback fallback) throws WeightsException {
        Optional<ImageNetWeightFiles> known = catalogue.apply(backbone);
        List<String> looked = new ArrayList<>();
        if (known.isEmpty()) {
            looked.add("none exist for " + backbone.configName());
        } else {
            ImageNetWeightFiles files = known.get();
            Path zoo = locations.zooCacheFile(files.zooModelName(), files.zooFileName());
            Optional<WeightsSource> fromZoo = tryZoo(graph, backbone, base, files, zoo, looked);
            if (fromZoo.isPresent()) {
                return fromZoo.get();
            }
            List<String> zooNotes = List.copyOf(looked);
            Optional<VerifiedKerasFile> keras = verifiedKerasFile(backbone, files, looked);
            if (keras.isPresent()) {
                Path file = keras.get().file();
                WeightsImport.Result result = WeightsImport.kerasFile(graph, file, base, false);
                return new WeightsSource(WeightsSource.Kind.IMAGENET_KERAS_H5, file.toString(),
                        "sha256:" + keras.get().digests().sha256(), result.loaded().size(), "ImageNet weights of "
                        + backbone.configName() + "'s base from the Keras file " + file + " (" + keras.get().how()
                        + "; " + result.loaded().size() + " layers); " + notes(zooNotes)
                        + "the top starts from random initialisation");
            }
        }
        String where = String.join("; ", looked);
        if (fallback == WeightsFallback.RANDOM) {
            return WeightsSource.random(WeightsSource.Kind.RANDOM_FALLBACK, "random initialisation — ImageNet weights "
                    + "were not found (looked in: " + where + "); model.weights_fallback: random is set, so training "
                    + "starts from random weights");
        }
        throw new WeightsUnavailableException(instructions(backbone, known, where));
    }

    /** A Keras file that matched its checksum, and how it got there (for the weights sentence). */
    private record VerifiedKerasFile(Path file, FileDigests digests, String how) {
    }

    /**
     * The backbone's Keras notop file in the Keras models folder, checked against the configured SHA-256 or else
     * Keras' published MD5; downloaded when absent or wrong and downloads are on. What failed goes to {@code looked}.
     */
    private Optional<VerifiedKerasFile> verifiedKerasFile(Backbone backbone, ImageNetWeightFiles files,
                                                          List<String> looked) {
        WeightsDownload download = locations.download();
        Path keras = locations.kerasFile(files.kerasNotopFile());
        Optional<String> sha256 = download.sha256Of(backbone);
        ExpectedChecksum expected = sha256.map(ExpectedChecksum::sha256)
                .orElseGet(() -> ExpectedChecksum.md5(files.kerasMd5()));
        String expectedWhat = sha256.isPresent() ? "the configured sha256 (" + WeightsDownload.SHA256_PROPERTY_PREFIX
                + backbone.configName() + ")" : "md5 " + files.kerasMd5() + " as Keras publishes";
        String problem;
        if (Files.isRegularFile(keras)) {
            try {
                FileDigests digests = FileDigests.of(keras);
                Optional<String> mismatch = expected.mismatch(digests);
                if (mismatch.isEmpty()) {
                    VerifiedDownload.recordSha256(keras, digests);
                    return Optional.of(new VerifiedKerasFile(keras, digests, "checked: " + expectedWhat));
                }
                String lookalike = files.kerasLookalikes().get(digests.md5());
                if (lookalike != null && sha256.isEmpty()) {
                    // another tool's valid file of the same name: report it, never overwrite it
                    looked.add(keras + " has md5 " + digests.md5() + ": not used, because " + lookalike
                            + "; move it away, or point -D" + WeightsLocations.KERAS_MODELS_PROPERTY
                            + "=<another folder> for img2rec's file");
                    return Optional.empty();
                }
                problem = keras + " has " + mismatch.get() + ": not used";
            } catch (IOException e) {
                problem = keras + ": unreadable (" + e.getMessage() + ")";
            }
        } else {
            problem = keras + ": absent";
        }
        if (!download.enabled()) {
            looked.add(problem + "; downloading is off (-D" + WeightsDownload.DOWNLOAD_PROPERTY + "=true turns it on)");
            return Optional.empty();
        }
        looked.add(problem);
        URI url = files.kerasUrl(download.mirror());
        LOG.info("ImageNet weights for {}: {}; downloading {}", backbone.configName(), problem, url);
        try {
            VerifiedDownload.Result result = new VerifiedDownload(download).fetch(url, keras, expected);
            return Optional.of(new VerifiedKerasFile(keras, result.digests(), "downloaded from " + url
                    + " and verified: " + expectedWhat));
        } catch (DownloadFailedException e) {
            looked.add(e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<WeightsSource> tryZoo(ComputationGraph graph, Backbone backbone, Set<String> base,
                                           ImageNetWeightFiles files, Path zoo, List<String> looked) {
        if (!Files.isRegularFile(zoo)) {
            looked.add(zoo + ": absent");
            return Optional.empty();
        }
        long checksum;
        try {
            checksum = adler32(zoo);
        } catch (IOException e) {
            looked.add(zoo + ": unreadable (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (checksum != files.zooAdler32()) {
            looked.add("the cached file " + zoo + " has checksum " + checksum + ", expected " + files.zooAdler32()
                    + " (Adler32): delete it and download it again from " + files.zooUrl() + ", or put "
                    + files.kerasNotopFile() + " at " + locations.kerasFile(files.kerasNotopFile()));
            return Optional.empty();
        }
        ComputationGraph zooGraph;
        try {
            zooGraph = ModelSerializer.restoreComputationGraph(zoo.toFile(), false);
        } catch (IOException | RuntimeException e) {
            looked.add(zoo + ": checksum right but DL4J cannot restore it (" + e.getMessage() + ")");
            return Optional.empty();
        }
        try {
            WeightsImport.Result result = WeightsImport.dl4jGraph(zooGraph, "DL4J zoo file " + zoo, graph, base, false);
            return Optional.of(new WeightsSource(WeightsSource.Kind.IMAGENET_DL4J_ZOO, zoo.toString(),
                    "adler32:" + checksum, result.loaded().size(), "ImageNet weights of " + backbone.configName()
                    + "'s base from the DL4J model zoo cache " + zoo + " (Adler32 " + checksum + " as DL4J expects, "
                    + result.loaded().size() + " layers); the top starts from random initialisation"));
        } catch (WeightsException e) {
            looked.add(zoo + ": its layers do not fit our " + backbone.configName() + " (DL4J's zoo geometry differs"
                    + " from the standard one): " + e.getMessage());
            return Optional.empty();
        } finally {
            zooGraph.close();
        }
    }

    private WeightsSource loadFile(ComputationGraph graph, Backbone backbone, Set<String> base, Path file)
            throws WeightsException {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("model.weights: " + file + " does not exist or is not a file; allowed: "
                    + "imagenet, random, or the path of a Keras weights .h5 or a DL4J .zip");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        WeightsImport.Result result;
        WeightsSource.Kind kind;
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            result = WeightsImport.kerasFile(graph, file, base, true);
            kind = WeightsSource.Kind.FILE_KERAS_H5;
        } else if (name.endsWith(".zip")) {
            ComputationGraph source;
            try {
                source = ModelSerializer.restoreComputationGraph(file.toFile(), false);
            } catch (IOException | RuntimeException e) {
                throw new WeightsException("model.weights: " + file + " is not a DL4J ComputationGraph zip that "
                        + "ModelSerializer can restore: " + e.getMessage(), e);
            }
            try {
                result = WeightsImport.dl4jGraph(source, "DL4J model " + file, graph, base, true);
            } finally {
                source.close();
            }
            kind = WeightsSource.Kind.FILE_DL4J_ZIP;
        } else {
            throw new WeightsException("model.weights: " + file + " is neither a Keras weights .h5 nor a DL4J .zip");
        }
        int top = result.loaded().size() - (int) result.loaded().stream().filter(base::contains).count();
        String skipped = result.skipped().isEmpty() ? ""
                : "; not loaded (shapes differ, left as initialised): " + String.join("; ", result.skipped());
        return new WeightsSource(kind, file.toString(), sha256(file), result.loaded().size(),
                "weights of " + backbone.configName() + " from " + file + " (" + (result.loaded().size() - top)
                        + " base layers, " + top + " top layers" + skipped + ")");
    }

    private String instructions(Backbone backbone, Optional<ImageNetWeightFiles> known, String where) {
        StringBuilder s = new StringBuilder("ImageNet weights for ").append(backbone.configName())
                .append(" are not available (looked in: ").append(where).append("). Supply them in one of these ways:");
        if (known.isPresent()) {
            ImageNetWeightFiles f = known.get();
            Path zoo = locations.zooCacheFile(f.zooModelName(), f.zooFileName());
            s.append("\n  1. DL4J model zoo: download ").append(f.zooUrl()).append(" (Adler32 ").append(f.zooAdler32())
                    .append(") to ").append(zoo).append(" (-Dorg.deeplearning4j.resources.directory moves ")
                    .append(locations.dl4jResourcesRoot()).append(");");
            s.append("\n  2. Keras: download ").append(f.kerasUrl(locations.download().mirror())).append(" (md5 ")
                    .append(f.kerasMd5()).append(") to ").append(locations.kerasFile(f.kerasNotopFile()))
                    .append(" (Keras' own ~/.keras/models cache; -Dimg2rec.keras.models=<dir> moves it), or let img2rec "
                            + "download it: it needs to reach that address, or a folder of a mirror that holds the file by name "
                            + "(-D").append(WeightsDownload.BASE_URL_PROPERTY).append("=<base URL>);");
        }
        s.append("\n  3. model.weights: <path> to a Keras weights .h5 or a DL4J .zip of this architecture;");
        s.append("\n  4. or train from random weights: model.weights_fallback: random in the config, or "
                + "-Dmodel.weights_fallback=random.");
        return s.toString();
    }

    private static String notes(List<String> looked) {
        return looked.isEmpty() ? "" : "not from the DL4J zoo (" + String.join("; ", looked) + "); ";
    }

    static long adler32(Path file) throws IOException {
        Adler32 adler = new Adler32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                adler.update(buffer, 0, n);
            }
        }
        return adler.getValue();
    }

    private static String sha256(Path file) throws WeightsException {
        try {
            return "sha256:" + Sha256.of(file);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + " to checksum it: " + e.getMessage(), e);
        }
    }
}
