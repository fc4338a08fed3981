package io.img2rec.serve;

import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.face.BoxCalibration;
import io.img2rec.serve.face.HaarFaceDetector;
import io.img2rec.serve.http.HttpTimeouts;
import io.img2rec.serve.http.RecommendationServer;
import io.img2rec.serve.http.ServerLimits;
import io.img2rec.core.image.ImageDecoder;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.render.RecommendationPicture;
import io.img2rec.serve.keras.KerasImportException;
import io.img2rec.serve.keras.KerasModelLoader;
import io.img2rec.serve.keras.KerasModelSpec;
import io.img2rec.serve.predict.ScoringModel;
import io.img2rec.serve.registry.ModelLoadException;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.LabelTally;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.store.PostgresProfileStore;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.store.ProfileStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The serving entry point: {@code recommend} for images, profile folders and folders of profiles; {@code serve} for
 * the HTTP API. Exit codes: 0 done (per-file errors are reported in the output), 2 bad usage (including an unknown
 * choice, e.g. {@code --format jsn}), 3 models refused, 4 {@code serve} cannot listen on the port or address (checked
 * before the models are loaded), 5 {@code serve} cannot open its profile store (also checked before).
 */
@Command(name = "img2rec-serve", mixinStandardHelpOptions = true, subcommands = {ServeMain.Recommend.class,
        ServeMain.Serve.class}, description = "Recommend products from photos with the trained models.")
public final class ServeMain {

    public static void main(String[] args) {
        NativeSetup.configure();
        HttpTimeouts.applyDefaultsUnlessSet(); // before the first HTTP server: the JDK reads them once
        System.exit(run(args, System.out, System.err));
    }

    /** Exit code when {@code serve} cannot listen on {@code --bind}:{@code --port}. */
    static final int CANNOT_LISTEN = 4;

    /** Exit code when {@code serve} cannot open its profile store (unreachable, unreadable, or a newer schema). */
    static final int STORE_REFUSED = 5;

    /** What {@code recommend} prints; given in any case on the command line ({@code --format json}). */
    enum OutputFormat {
        TABLE, JSON
    }

    /** Runs the CLI without exiting (tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new ServeMain());
        cli.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    /** Options shared by both commands: which models, how faces are handled. */
    static final class ModelOptions {
        @Option(names = "--models", split = ",",
                description = "run folder(s) or folder(s) of checkpoints (e.g. a VGG16 run and a ResNet50 run)")
        List<Path> models = new ArrayList<>();

        @Option(names = "--keras", paramLabel = "LABEL:ARCH:MODEL.json:WEIGHTS.h5", description = "a model saved by "
                + "the original Keras project (repeatable), e.g. hat:vgg16:hat_model.json:hat_weights.h5")
        List<String> keras = new ArrayList<>();

        @Option(names = "--labels", split = ",", description = "labels that must be covered (default: those the "
                + "sidecars name)")
        List<String> labels = List.of();

        @Option(names = "--faces", defaultValue = "FACES", description = "FACES, FACES_OR_WHOLE_IMAGE or WHOLE_IMAGE "
                + "(default ${DEFAULT-VALUE})")
        RecommenderOptions.FaceMode faces;

        @Option(names = "--min-crop-side", defaultValue = "" + io.img2rec.serve.face.FaceCrop.DEFAULT_MIN_SIDE,
                description = "skip faces whose expanded crop has a side <= this many pixels "
                        + "(default ${DEFAULT-VALUE}; 0 keeps all)")
        int minCropSide;

        @Option(names = "--weight", description = "architecture weight in the average, e.g. --weight vgg16=2")
        Map<String, Double> weights = new TreeMap<>();

        @Option(names = "--calibration", split = ",", description = "scale,offsetX,offsetY mapping detector boxes to "
                + "dlib-like boxes (default 0.91,0,0.11, measured for the Haar detector; 1,0,0 keeps the boxes)")
        List<Double> calibration;

        @Option(names = "--batch-size", defaultValue = "" + RecommenderOptions.DEFAULT_BATCH_SIZE,
                description = "most crops scored together in a folder (default ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--threshold", description = "decide every label at this fixed threshold, e.g. 0.5 as the "
                + "original did (default: the thresholds tuned on the runs' validation split, as the report's ensemble)")
        Double fixedThreshold;

        @Option(names = "--batch-window-ms", defaultValue = "" + RecommenderOptions.DEFAULT_BATCH_WINDOW_MS,
                description = "how long concurrent requests' crops may wait to be scored together; 0 = no "
                        + "cross-request batching (default ${DEFAULT-VALUE})")
        long batchWindowMs;

        @Option(names = "--max-pixels", defaultValue = "" + RecommenderOptions.DEFAULT_MAX_PIXELS,
                description = "refuse images whose header claims more pixels (default ${DEFAULT-VALUE})")
        long maxPixels;

        Recommender build() throws ModelLoadException {
            BoxCalibration cal = BoxCalibration.DLIB_HOG;
            if (calibration != null) {
                if (calibration.size() != 3) {
                    throw new IllegalArgumentException(
                            "--calibration needs three numbers: scale,offsetX,offsetY; got " + calibration);
                }
                cal = new BoxCalibration(calibration.get(0), calibration.get(1), calibration.get(2));
            }
            RecommenderOptions options = RecommenderOptions.DEFAULTS.withFaces(faces).withMinCropSide(minCropSide)
                    .withCalibration(cal).withArchitectureWeights(weights).withMaxPixels(maxPixels)
                    .withBatchSize(batchSize).withBatchWindow(Duration.ofMillis(batchWindowMs));
            if (fixedThreshold != null) {
                options = options.withFixedThreshold(fixedThreshold);
            }
            List<ScoringModel> imported = new ArrayList<>();
            try {
                for (String spec : keras) {
                    imported.add(KerasModelLoader.load(KerasModelSpec.parse(spec)));
                }
            } catch (KerasImportException e) {
                imported.forEach(ScoringModel::close);
                throw new ModelLoadException(e.getMessage(), e);
            }
            ModelRegistry registry = ModelRegistry.load(models, imported, labels);
            try {
                var builder = Recommender.builder().models(registry).options(options);
                if (faces != RecommenderOptions.FaceMode.WHOLE_IMAGE) {
                    builder.faceDetector(new HaarFaceDetector());
                }
                return builder.build();
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
        }
    }

    @Command(name = "recommend", mixinStandardHelpOptions = true,
            description = "Recommend for images, profile folders (one person) and folders of profile folders.")
    static final class Recommend implements Callable<Integer> {
        @CommandLine.Mixin
        ModelOptions mixin;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "an image, a folder of one person's images, "
                + "or a folder whose sub-folders are profiles (files beside those sub-folders form one more profile, "
                + "named after the folder)")
        List<Path> paths;

        @Option(names = "--format", defaultValue = "table", description = "one of ${COMPLETION-CANDIDATES} (default "
                + "${DEFAULT-VALUE})")
        OutputFormat format;

        @Option(names = "--json-out", description = "also write the full JSON result to this file")
        Path jsonOut;

        @Option(names = "--png-out", description = "write annotated pictures here: <image>.recommendation.png "
                + "(before/after crop) and <profile>.recommendation.png (the chosen image)")
        Path pngOut;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            Recommender recommender;
            try {
                recommender = mixin.build();
            } catch (ModelLoadException e) {
                err.println("models refused: " + e.getMessage());
                return 3;
            }
            try (recommender) {
                List<ImageResult> images = new ArrayList<>();
                List<ProfileResult> profiles = new ArrayList<>();
                List<Path> imagePaths = new ArrayList<>();
                List<Path> profileFolders = new ArrayList<>();
                for (Path path : paths) {
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        boolean hasSubfolders;
                        boolean hasLooseEntries;
                        try (var entries = Files.list(path)) {
                            var visible = entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
                            hasSubfolders = visible.stream().anyMatch(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
                            hasLooseEntries = visible.stream().anyMatch(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
                        }
                        if (hasSubfolders) {
                            for (ProfileResult profile : recommender.recommendProfiles(path)) {
                                profiles.add(profile);
                                profileFolders.add(path.resolve(profile.profile()));
                            }
                            if (hasLooseEntries) { // files beside the profile folders: their own profile, not dropped
                                profiles.add(recommender.recommendProfile(path));
                                profileFolders.add(path);
                            }
                        } else {
                            profiles.add(recommender.recommendProfile(path));
                            profileFolders.add(path);
                        }
                    } else {
                        images.add(recommender.recommendImage(path, path.toString()));
                        imagePaths.add(path);
                    }
                }
                if (pngOut != null) {
                    writePictures(err, images, imagePaths, profiles, profileFolders);
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("images", images);
                result.put("profiles", profiles);
                String json = ResultJson.pretty(result);
                if (jsonOut != null) {
                    Files.writeString(jsonOut, json);
                }
                if (format == OutputFormat.JSON) {
                    out.println(json);
                } else {
                    printTable(out, images, profiles);
                }
            }
            return 0;
        }

        private void writePictures(java.io.PrintWriter err, List<ImageResult> images, List<Path> imagePaths,
                                   List<ProfileResult> profiles, List<Path> profileFolders) {
            for (int i = 0; i < images.size(); i++) {
                ImageResult result = images.get(i);
                if (result.status() == io.img2rec.serve.rules.ImageStatus.ERROR) {
                    continue;
                }
                Path file = imagePaths.get(i);
                Path target = pngOut.resolve(file.getFileName() + ".recommendation.png");
                try {
                    RecommendationPicture.writePng(RecommendationPicture.forImage(ImageDecoder.decode(file), result),
                            target);
                } catch (Exception e) {
                    err.println("picture for " + file + " not written: " + e.getMessage());
                }
            }
            for (int i = 0; i < profiles.size(); i++) {
                ProfileResult profile = profiles.get(i);
                if (!profile.recommendation().found()) {
                    continue;
                }
                Path chosen = profileFolders.get(i).resolve(profile.recommendation().image());
                Path target = pngOut.resolve(profile.profile() + ".recommendation.png");
                try {
                    RecommendationPicture.writePng(RecommendationPicture.forProfile(ImageDecoder.decode(chosen),
                            profile.recommendation()), target);
                } catch (Exception e) {
                    err.println("picture for profile " + profile.profile() + " not written: " + e.getMessage());
                }
            }
        }

        private static void printTable(java.io.PrintWriter out, List<ImageResult> images, List<ProfileResult> profiles) {
            for (ImageResult image : images) {
                out.println(image.name() + ": " + summary(image));
            }
            for (ProfileResult profile : profiles) {
                out.printf(Locale.ROOT, "profile %s: %s (%d images: %d analysed, %d without face, %d failed)%n",
                        profile.profile(), profile.recommendation().message()
                                + (profile.recommendation().found() ? " [image " + profile.recommendation().image() + "]" : ""),
                        profile.images(), profile.imagesAnalysed(), profile.imagesNoFace(), profile.imagesFailed());
                for (LabelTally t : profile.tallies()) {
                    out.printf(Locale.ROOT, "    %-10s %3d positive  share %.2f%s%n", t.label(), t.positiveImages(),
                            t.share(), t.bestImage() == null ? "" : String.format(Locale.ROOT, "  best %s (%.3f)",
                                    t.bestImage(), t.bestScore()));
                }
                for (ImageResult image : profile.imageResults()) {
                    out.println("    " + image.name() + ": " + summary(image));
                }
            }
        }

        private static String summary(ImageResult image) {
            return switch (image.status()) {
                case ERROR -> "ERROR " + image.error();
                case NO_FACE -> image.recommendation().message(); // "no face found" or "no usable face (N found, …)"
                case ANALYSED -> image.recommendation().message() + " — " + (image.wholeImage() ? "whole image"
                        : image.faces().size() + " face(s)") + ", scores " + rounded(image.labelScores());
            };
        }

        private static String rounded(Map<String, Double> scores) {
            StringBuilder text = new StringBuilder("{");
            new TreeMap<>(scores).forEach((k, v) -> text.append(text.length() > 1 ? ", " : "").append(k).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", v)));
            return text.append('}').toString();
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the HTTP JSON API.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ModelOptions mixin;

        @Option(names = "--port", defaultValue = "8080", description = "port (default ${DEFAULT-VALUE}; 0 = any free)")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default "
                + "${DEFAULT-VALUE}; use 0.0.0.0 to accept other machines)")
        String bind;

        @Option(names = "--store", defaultValue = "profiles.db", description = "profile store: a SQLite file "
                + "(default ${DEFAULT-VALUE}) or jdbc:postgresql://host:port/database[?user=...] shared by several "
                + "servers (password from $PGPASSWORD when the URL has none)")
        String store;

        @Option(names = "--store-pool", defaultValue = "8", description = "PostgreSQL store: connections this "
                + "server holds at most (default ${DEFAULT-VALUE})")
        int storePool;

        @Option(names = "--max-body-mb", defaultValue = "" + ServerLimits.DEFAULT_MAX_BODY_MB,
                description = "largest request body in MiB (default ${DEFAULT-VALUE})")
        int maxBodyMb;

        @Option(names = "--max-concurrent", defaultValue = "" + ServerLimits.DEFAULT_MAX_CONCURRENT,
                description = "images analysed at the same time; more wait (up to 30 s) for a slot before a 503 "
                        + "(default ${DEFAULT-VALUE})")
        int maxConcurrent;

        @Option(names = "--token-env", defaultValue = "IMG2REC_API_TOKEN", description = "environment variable holding "
                + "the API token for write endpoints; unset = no token (default ${DEFAULT-VALUE})")
        String tokenEnv;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var err = spec.commandLine().getErr();
            // before the models load (seconds to minutes): a busy port or a foreign address is known at once
            Optional<String> unusable = SocketCheck.cannotListen(bind, port);
            if (unusable.isPresent()) {
                err.println(unusable.get());
                return CANNOT_LISTEN;
            }
            // also before the models load: an unreachable database or a newer schema is known at once
            ProfileStore profiles;
            try {
                profiles = openStore();
            } catch (ProfileStoreException e) {
                err.println("profile store refused: " + e.getMessage());
                return STORE_REFUSED;
            }
            spec.commandLine().getOut().println("profile store " + profiles.location() + " at schema version "
                    + profiles.schemaVersion());
            Recommender recommender;
            try {
                recommender = mixin.build();
            } catch (ModelLoadException e) {
                profiles.close();
                err.println("models refused: " + e.getMessage());
                return 3;
            }
            ServerLimits limits = ServerLimits.DEFAULTS.withMaxBodyBytes((long) maxBodyMb * 1024 * 1024)
                    .withMaxConcurrentInferences(maxConcurrent).withApiToken(System.getenv(tokenEnv));
            try (recommender; profiles) {
                RecommendationServer server;
                try {
                    server = new RecommendationServer(recommender, profiles, limits, new InetSocketAddress(bind, port));
                } catch (java.net.BindException e) { // taken while the models loaded
                    err.println(SocketCheck.message(bind, port, e));
                    return CANNOT_LISTEN;
                }
                try (server) {
                    spec.commandLine().getOut().println("serving on http://" + bind + ":" + server.port()
                            + "/ (Ctrl-C stops)");
                    CountDownLatch stop = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                    stop.await();
                }
            }
            return 0;
        }

        private ProfileStore openStore() throws ProfileStoreException {
            return ProfileStore.open(store, PostgresProfileStore.PoolSettings.DEFAULTS.withMaxConnections(storePool)
                    .withPassword(Optional.ofNullable(System.getenv("PGPASSWORD"))));
        }
    }
}
