package io.img2rec.serve.api;

import io.img2rec.core.ensemble.EnsembleRule;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.manifest.RejectReason;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.serve.face.BoxCalibration;
import io.img2rec.serve.face.CropBox;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.face.FaceCrop;
import io.img2rec.serve.face.FaceDetector;
import io.img2rec.serve.predict.CropScores;
import io.img2rec.serve.predict.CrossRequestBatcher;
import io.img2rec.serve.predict.EnsembleAverager;
import io.img2rec.serve.registry.ModelLoadException;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.rules.FaceResult;
import io.img2rec.serve.rules.ImageErrorCode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.rules.RecommendationRules;
import io.img2rec.serve.rules.SkippedFace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Images in, recommendations out: admit (header check, pixel limit) → decode → detect faces → calibrate → crop
 * ({@link FaceCrop}) → every model (each with its own input encoding) → per-label weighted average → rules.
 *
 * <pre>{@code
 * try (Recommender recommender = Recommender.builder()
 *         .models(ModelRegistry.load(List.of(Path.of("runs/vgg16-run"), Path.of("runs/resnet50-run")), List.of()))
 *         .faceDetector(new HaarFaceDetector())
 *         .build()) {
 *     ImageResult one = recommender.recommendImage(Path.of("photo.jpg"));
 *     ProfileResult profile = recommender.recommendProfile(Path.of("profiles/alice"));
 * }
 * }</pre>
 *
 * <p><b>Thread safety</b>: every method may be called by any number of threads at once. The Recommender takes no
 * lock of its own around an analysis: each network serialises its forward pass on a lock of its own (DL4J's
 * {@code ComputationGraph.output} is not thread-safe) — a separately served model has one lock, a shared trunk has
 * one for the trunk and one per label head — so callers in different networks run at the same time and only callers
 * of the same network queue; the Haar detector serialises its calls likewise. Results do not depend on how calls
 * interleave. To bound memory under load, cap concurrent calls in front of it and make them from a fixed, small set
 * of threads (the HTTP server does both): ND4J keeps each network's working memory per calling thread, off the heap,
 * for as long as the thread lives.
 *
 * <p><b>Life cycle</b>: the Recommender owns the registry and detector it is built with and closes them in
 * {@link #close()}, which waits for calls in progress to finish. After {@code close()} every method throws
 * {@link IllegalStateException} saying that this Recommender is closed; a second {@code close()} does nothing.
 *
 * <p><b>Errors</b>: per-file problems never throw: they come back as {@link ImageStatus#ERROR} results with an
 * {@link ImageErrorCode}. A refused or unreadable input gets the code of its reason; a failure of the analysis itself
 * (a model's {@code RuntimeException}, an {@code OutOfMemoryError}) gets {@link ImageErrorCode#ANALYSIS_FAILED} and
 * a random error id, logged at ERROR level with the stack trace and the same id.
 */
public final class Recommender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recommender.class);

    private final ModelRegistry registry;
    private final FaceDetector detector;
    private final EnsembleAverager ensemble;
    /**
     * Most crops of concurrent calls scored in one pass: batch 8 already gives most of the gain (measured per crop:
     * 1.27× VGG16, 1.94× ResNet50 against batch 1), and a network's working memory grows with the batch (with 16,
     * VGG16's resident memory under load grew by 314 MB instead of staying under 256 MB).
     */
    static final int CROSS_REQUEST_BATCH = 8;
    /** Scores concurrent calls' crops together; null when batching is off (options.batchWindow() == 0). */
    private final CrossRequestBatcher batcher;
    private final ImageGate gate;
    private final RecommenderOptions options;
    /** Calls hold the read lock, {@link #close()} the write lock: close waits for calls in progress. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private Recommender(ModelRegistry registry, FaceDetector detector, RecommenderOptions options) {
        this.registry = registry;
        this.detector = detector;
        this.options = options;
        this.ensemble = new EnsembleAverager(registry.models(), EnsembleRule.weighted(options.architectureWeights()),
                registry.validation(), options.fixedThreshold());
        this.gate = new ImageGate(options.maxPixels());
        this.batcher = options.batchWindow().isZero() ? null
                : new CrossRequestBatcher(ensemble, Math.min(options.batchSize(), CROSS_REQUEST_BATCH),
                options.batchWindow());
    }

    /**
     * A new builder. Makes the process-wide native settings first ({@link NativeSetup#configure()}, once): they only
     * take effect when made before ND4J loads, so call this before loading the models, as in the example above.
     */
    public static Builder builder() {
        NativeSetup.configure();
        return new Builder();
    }

    /**
     * Builder: {@code models} is required; a face detector is required unless faces are never detected. Not
     * thread-safe; {@link #build()} returns an immutable, thread-safe Recommender.
     */
    public static final class Builder {
        private ModelRegistry registry;
        private List<Path> runs;
        private FaceDetector detector;
        private RecommenderOptions options = RecommenderOptions.DEFAULTS;

        /** The models to serve, already loaded (required unless {@link #runs} is given). */
        public Builder models(ModelRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Serve the best models of these run folders (or folders of checkpoints), loaded at {@link #build()}, e.g. a
         * VGG16 run and a ResNet50 run: {@code TrainedRun.runFolder()} of the training API. The ensemble's thresholds
         * are tuned on the runs' validation predictions, as the report's are.
         */
        public Builder runs(List<Path> runFolders) {
            this.runs = List.copyOf(runFolders);
            return this;
        }

        public Builder faceDetector(FaceDetector detector) {
            this.detector = detector;
            return this;
        }

        public Builder options(RecommenderOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Loads the runs (when given) and builds the Recommender. Without a face detector, one is created (OpenCV's
         * Haar cascade, {@link io.img2rec.serve.face.HaarFaceDetector}) unless faces are never detected.
         *
         * @throws ModelLoadException when a run's models cannot be loaded (the message names the file)
         */
        public Recommender build() throws ModelLoadException {
            if ((registry == null) == (runs == null)) {
                throw new IllegalStateException("Recommender.builder(): give exactly one of models(registry) and "
                        + "runs(folders)");
            }
            ModelRegistry models = registry != null ? registry : ModelRegistry.load(runs, List.of());
            try {
                FaceDetector faces = detector;
                if (faces == null && options.faces() != RecommenderOptions.FaceMode.WHOLE_IMAGE) {
                    faces = new io.img2rec.serve.face.HaarFaceDetector();
                }
                return new Recommender(models, faces, options);
            } catch (RuntimeException e) {
                if (registry == null) {
                    models.close();
                }
                throw e;
            }
        }
    }

    /** Labels covered by the models, sorted. */
    public List<String> labels() {
        return whileOpen(ensemble::labels);
    }

    /** The ensemble's decision threshold per label. */
    public Map<String, Double> thresholds() {
        return whileOpen(ensemble::thresholds);
    }

    /** The models served (owned by this Recommender: do not close them yourself). */
    public ModelRegistry registry() {
        return whileOpen(() -> registry);
    }

    /** The options it was built with. */
    public RecommenderOptions options() {
        return whileOpen(() -> options);
    }

    /** One image file. */
    public ImageResult recommendImage(Path file) {
        return recommendImage(file, file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    /** One image file, reported under {@code name}. */
    public ImageResult recommendImage(Path file, String name) {
        return whileOpen(() -> {
            announce();
            ImageGate.Admitted admitted;
            try {
                admitted = gate.admit(file, name);
            } catch (ImageGate.Refused e) {
                withdraw();
                return refused(name, e);
            } catch (RuntimeException | OutOfMemoryError e) {
                withdraw();
                return analysisFailed(name, null, e);
            }
            return analyseSafely(admitted, name);
        });
    }

    /** Uploaded bytes. */
    public ImageResult recommendImage(byte[] bytes, String name) {
        return whileOpen(() -> {
            announce();
            ImageGate.Admitted admitted;
            try {
                admitted = gate.admit(bytes, name);
            } catch (ImageGate.Refused e) {
                withdraw();
                return refused(name, e);
            } catch (IOException e) {
                withdraw();
                return ImageResult.error(name, null, ImageErrorCode.UNREADABLE, name + ": could not be buffered ("
                        + e.getClass().getSimpleName() + ")");
            } catch (RuntimeException | OutOfMemoryError e) {
                withdraw();
                return analysisFailed(name, null, e);
            }
            return analyseSafely(admitted, name);
        });
    }

    /**
     * An image already decoded (no pixel limit applied: the caller decoded it). Unlike the other methods this one
     * lets a failure of the analysis propagate: the caller holds the image and decides.
     */
    public ImageResult analyse(RgbImage image, String name, String sha256) {
        return whileOpen(() -> {
            announce();
            return analyseOpen(image, name, sha256);
        });
    }

    /** After {@link #announce()}: prepares the crops and scores them, with other callers' when batching is on. */
    private ImageResult analyseOpen(RgbImage image, String name, String sha256) {
        Prepared prepared;
        try {
            prepared = prepare(image, name, sha256);
        } catch (RuntimeException | Error e) {
            withdraw();
            throw e;
        }
        if (batcher == null) {
            return finish(prepared, prepared.crops().isEmpty() ? List.of() : ensemble.score(prepared.crops()));
        }
        return finish(prepared, batcher.score(prepared.crops())); // score() withdraws an empty call itself
    }

    /** Calls announced to the batcher and not yet scored (for tests of the batching; 0 without batching). */
    int pendingCallsForTests() {
        return batcher == null ? 0 : batcher.pending();
    }

    private void announce() {
        if (batcher != null) {
            batcher.announce();
        }
    }

    private void withdraw() {
        if (batcher != null) {
            batcher.withdraw();
        }
    }

    /** A failure while analysing one image (native error, model fault) becomes that image's error, not the caller's. */
    private ImageResult analyseSafely(ImageGate.Admitted admitted, String name) {
        try {
            return analyseOpen(admitted.image(), name, admitted.sha256());
        } catch (RuntimeException | OutOfMemoryError e) {
            return analysisFailed(name, admitted.sha256(), e);
        }
    }

    private static ImageResult refused(String name, ImageGate.Refused e) {
        ImageErrorCode code = e.reason() == null ? ImageErrorCode.CORRUPT_IMAGE : ImageErrorCode.of(e.reason());
        return ImageResult.error(name, null, code, e.getMessage());
    }

    /** Logs the failure with its stack trace under a fresh error id, and returns the image's result carrying the id. */
    private static ImageResult analysisFailed(String name, String sha256, Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("analysis of {} failed [error id {}]", name, errorId, e);
        return ImageResult.analysisFailed(name, sha256, errorId, e);
    }

    /** Runs {@code call} unless this Recommender is closed; {@link #close()} waits for it. */
    private <T> T whileOpen(java.util.function.Supplier<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("this Recommender is closed: it released its models and face "
                        + "detector; build a new one with Recommender.builder()");
            }
            return call.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** An image's crops before scoring. */
    private record Prepared(String name, String sha256, int width, int height, boolean whole, List<RgbImage> crops,
                            List<FaceBox[]> boxes, List<CropBox> cropBoxes, List<SkippedFace> skipped) {
    }

    private Prepared prepare(RgbImage image, String name, String sha256) {
        List<SkippedFace> skipped = new ArrayList<>();
        List<RgbImage> crops = new ArrayList<>();
        List<FaceBox[]> boxes = new ArrayList<>();
        List<CropBox> cropBoxes = new ArrayList<>();
        boolean whole = options.faces() == RecommenderOptions.FaceMode.WHOLE_IMAGE;
        if (!whole) {
            for (FaceBox detected : detector.detect(image)) {
                FaceBox calibrated = options.calibration().apply(detected);
                var crop = FaceCrop.expand(calibrated, image.width(), image.height(), options.minCropSide());
                if (crop.isEmpty()) {
                    CropBox raw = FaceCrop.unclamped(calibrated);
                    skipped.add(new SkippedFace(detected, "expanded crop " + raw.width() + "x" + raw.height()
                            + " has a side <= " + options.minCropSide() + " px (or lies outside the image)"));
                    continue;
                }
                CropBox c = crop.get();
                crops.add(image.crop(c.left(), c.top(), c.width(), c.height()));
                boxes.add(new FaceBox[] {detected, calibrated});
                cropBoxes.add(c);
            }
            if (crops.isEmpty() && options.faces() == RecommenderOptions.FaceMode.FACES_OR_WHOLE_IMAGE) {
                whole = true;
            }
        }
        if (whole) {
            crops.add(image);
            boxes.add(new FaceBox[] {null, null});
            cropBoxes.add(CropBox.whole(image.width(), image.height()));
        }
        return new Prepared(name, sha256, image.width(), image.height(), whole, crops, boxes, cropBoxes, skipped);
    }

    private ImageResult finish(Prepared p, List<CropScores> scores) {
        if (p.crops().isEmpty()) {
            return new ImageResult(p.name(), p.sha256(), ImageStatus.NO_FACE, null, p.width(), p.height(), false,
                    List.of(), p.skipped(), Map.of(), List.of(), null,
                    io.img2rec.serve.rules.Recommendation.noUsableFace(p.skipped().size()));
        }
        List<FaceResult> faces = new ArrayList<>();
        List<Map<String, Double>> averaged = new ArrayList<>();
        for (int i = 0; i < p.crops().size(); i++) {
            CropScores s = scores.get(i);
            averaged.add(s.averaged());
            faces.add(new FaceResult(p.boxes().get(i)[0], p.boxes().get(i)[1], p.cropBoxes().get(i), s.perModel(),
                    s.averaged(), RecommendationRules.positives(s.averaged(), ensemble.thresholds())));
        }
        var verdict = RecommendationRules.forImage(p.name(), averaged, ensemble.thresholds());
        return new ImageResult(p.name(), p.sha256(), ImageStatus.ANALYSED, null, p.width(), p.height(), p.whole(),
                faces, p.skipped(), verdict.labelScores(), verdict.positives(), verdict.bestFace(),
                verdict.recommendation());
    }

    /**
     * A folder of one person's images (regular files directly inside it, by name; sub-folders are not entered).
     * Crops of consecutive images are scored together, up to {@link RecommenderOptions#batchSize()} per batch (an
     * image's crops are never split), so each model runs once per batch rather than once per image; only one batch
     * of decoded crops is held at a time.
     */
    public ProfileResult recommendProfile(Path folder) {
        return whileOpen(() -> recommendProfileOpen(folder));
    }

    private ProfileResult recommendProfileOpen(Path folder) {
        String profile = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        List<Path> entries;
        try {
            entries = list(folder);
        } catch (IOException e) {
            return RecommendationRules.forProfile(profile,
                    List.of(ImageResult.error(profile, null, ImageErrorCode.UNREADABLE,
                            profile + ": cannot list folder (" + e.getMessage() + ")")), ensemble.labels());
        }
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path entry : entries) {
            if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                files.add(entry);
                names.add(entry.getFileName().toString());
            }
        }
        List<ImageResult> results = recommendFilesOpen(files, names);
        return RecommendationRules.forProfile(profile, results, ensemble.labels());
    }

    /**
     * Image files in this order, each reported under its name: the images of one profile as
     * {@link #recommendProfile} scores them (the same admission, batching and errors: crops of consecutive images
     * scored together, up to {@link RecommenderOptions#batchSize()}, an image's crops never split), for callers that
     * list the files themselves, e.g. a batch job whose images are rows of a table. Results come in the order of
     * {@code files}; a file that is not a regular file gets an {@link ImageErrorCode#UNREADABLE} result.
     */
    public List<ImageResult> recommendImages(List<Path> files, List<String> names) {
        if (files.size() != names.size()) {
            throw new IllegalArgumentException("recommendImages: " + files.size() + " files but " + names.size()
                    + " names (one name per file)");
        }
        return whileOpen(() -> recommendFilesOpen(List.copyOf(files), List.copyOf(names)));
    }

    private List<ImageResult> recommendFilesOpen(List<Path> files, List<String> names) {
        List<ImageResult> results = new ArrayList<>();
        List<Integer> pendingSlots = new ArrayList<>();
        List<Prepared> pending = new ArrayList<>();
        int pendingCrops = 0;
        for (int f = 0; f < files.size(); f++) {
            Path entry = files.get(f);
            String name = names.get(f);
            if (!Files.isRegularFile(entry)) {
                results.add(ImageResult.error(name, null, ImageErrorCode.UNREADABLE,
                        name + ": not a regular file (broken link, device or loop)"));
                continue;
            }
            Prepared prepared;
            try {
                ImageGate.Admitted admitted = gate.admit(entry, name);
                prepared = prepare(admitted.image(), name, admitted.sha256());
            } catch (ImageGate.Refused e) {
                results.add(refused(name, e));
                continue;
            } catch (RuntimeException | OutOfMemoryError e) {
                results.add(analysisFailed(name, null, e));
                continue;
            }
            if (pendingCrops > 0 && pendingCrops + prepared.crops().size() > options.batchSize()) {
                scoreBatch(pending, pendingSlots, results);
                pendingCrops = 0;
            }
            results.add(null);
            pending.add(prepared);
            pendingSlots.add(results.size() - 1);
            pendingCrops += prepared.crops().size();
        }
        scoreBatch(pending, pendingSlots, results);
        return results;
    }

    /** Scores the pending images' crops in one batch and puts each image's result in its slot; clears the lists. */
    private void scoreBatch(List<Prepared> pending, List<Integer> slots, List<ImageResult> results) {
        if (pending.isEmpty()) {
            return;
        }
        List<List<CropScores>> scores;
        try {
            scores = ensemble.scoreTogether(pending.stream().map(Prepared::crops).toList());
        } catch (RuntimeException | OutOfMemoryError e) {
            String errorId = UUID.randomUUID().toString();
            LOG.error("analysis of a batch of {} images ({}...) failed [error id {}]", pending.size(),
                    pending.get(0).name(), errorId, e);
            for (int i = 0; i < pending.size(); i++) {
                Prepared p = pending.get(i);
                results.set(slots.get(i), ImageResult.analysisFailed(p.name(), p.sha256(), errorId, e));
            }
            pending.clear();
            slots.clear();
            return;
        }
        for (int i = 0; i < pending.size(); i++) {
            results.set(slots.get(i), finish(pending.get(i), scores.get(i)));
        }
        pending.clear();
        slots.clear();
    }

    /** A folder whose sub-folders are profiles: one result per sub-folder, by name. */
    public List<ProfileResult> recommendProfiles(Path folderOfFolders) throws IOException {
        lifecycle.readLock().lock();
        try {
            whileOpen(() -> null);
            List<ProfileResult> out = new ArrayList<>();
            for (Path entry : list(folderOfFolders)) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(recommendProfileOpen(entry));
                }
            }
            return out;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Entries of a folder sorted by name (hidden entries, starting with '.', left out). */
    static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** Waits for calls in progress, then closes the models and the face detector. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (batcher != null) {
                    batcher.close(); // no call is in progress: close() holds the write lock
                }
                registry.close();
            } finally {
                if (detector != null) {
                    detector.close();
                }
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
