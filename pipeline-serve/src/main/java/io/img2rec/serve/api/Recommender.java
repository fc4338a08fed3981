package io.img2rec.serve.api;

import io.img2rec.core.image.RgbImage;
import io.img2rec.serve.face.BoxCalibration;
import io.img2rec.serve.face.CropBox;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.face.FaceCrop;
import io.img2rec.serve.face.FaceDetector;
import io.img2rec.serve.predict.CropScores;
import io.img2rec.serve.predict.EnsembleAverager;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.rules.FaceResult;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.rules.RecommendationRules;
import io.img2rec.serve.rules.SkippedFace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p><b>Thread safety</b>: a Recommender may be shared by any number of threads. It holds no mutable state of its
 * own; each model serialises its forward pass on a lock of its own (DL4J's {@code ComputationGraph.output} is not
 * thread-safe), so calls on different models overlap and calls on the same model queue; the Haar detector serialises
 * its calls likewise. Results do not depend on how calls interleave. To bound memory under load, cap concurrent
 * calls in front of it and make them from a fixed, small set of threads (the HTTP server does both): ND4J keeps each
 * network's working memory per calling thread, off the heap, for as long as the thread lives.
 *
 * <p>The Recommender owns the registry and detector it is built with and closes them in {@link #close()}.
 * Per-file problems never throw: they come back as {@link ImageStatus#ERROR} results.
 */
public final class Recommender implements AutoCloseable {
    private final ModelRegistry registry;
    private final FaceDetector detector;
    private final EnsembleAverager ensemble;
    private final ImageGate gate;
    private final RecommenderOptions options;

    private Recommender(ModelRegistry registry, FaceDetector detector, RecommenderOptions options) {
        this.registry = registry;
        this.detector = detector;
        this.options = options;
        this.ensemble = new EnsembleAverager(registry.models(), options.architectureWeights());
        this.gate = new ImageGate(options.maxPixels());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code models} is required; a face detector is required unless faces are never detected. */
    public static final class Builder {
        private ModelRegistry registry;
        private FaceDetector detector;
        private RecommenderOptions options = RecommenderOptions.DEFAULTS;

        public Builder models(ModelRegistry registry) {
            this.registry = registry;
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

        public Recommender build() {
            if (registry == null) {
                throw new IllegalStateException("Recommender.builder(): models(registry) is required");
            }
            if (detector == null && options.faces() != RecommenderOptions.FaceMode.WHOLE_IMAGE) {
                throw new IllegalStateException("Recommender.builder(): faceDetector(...) is required unless faces = "
                        + RecommenderOptions.FaceMode.WHOLE_IMAGE);
            }
            return new Recommender(registry, detector, options);
        }
    }

    public List<String> labels() {
        return ensemble.labels();
    }

    public Map<String, Double> thresholds() {
        return ensemble.thresholds();
    }

    public ModelRegistry registry() {
        return registry;
    }

    public RecommenderOptions options() {
        return options;
    }

    /** One image file. */
    public ImageResult recommendImage(Path file) {
        return recommendImage(file, file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    /** One image file, reported under {@code name}. */
    public ImageResult recommendImage(Path file, String name) {
        try {
            ImageGate.Admitted admitted = gate.admit(file, name);
            return analyseSafely(admitted, name);
        } catch (ImageGate.Refused e) {
            return ImageResult.error(name, null, e.getMessage());
        }
    }

    /** A failure while analysing one image (native error, model fault) becomes that image's error, not the caller's. */
    private ImageResult analyseSafely(ImageGate.Admitted admitted, String name) {
        try {
            return analyse(admitted.image(), name, admitted.sha256());
        } catch (RuntimeException | OutOfMemoryError e) {
            return ImageResult.error(name, admitted.sha256(), name + ": analysis failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** Uploaded bytes. */
    public ImageResult recommendImage(byte[] bytes, String name) {
        try {
            ImageGate.Admitted admitted = gate.admit(bytes, name);
            return analyseSafely(admitted, name);
        } catch (ImageGate.Refused e) {
            return ImageResult.error(name, null, e.getMessage());
        } catch (IOException e) {
            return ImageResult.error(name, null, name + ": could not be buffered (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** An image already decoded (no pixel limit applied: the caller decoded it). */
    public ImageResult analyse(RgbImage image, String name, String sha256) {
        Prepared prepared = prepare(image, name, sha256);
        return finish(prepared, prepared.crops().isEmpty() ? List.of() : ensemble.score(prepared.crops()));
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
                    List.of(), p.skipped(), Map.of(), List.of(), null, io.img2rec.serve.rules.Recommendation.nothing());
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
        String profile = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        List<Path> entries;
        try {
            entries = list(folder);
        } catch (IOException e) {
            return RecommendationRules.forProfile(profile,
                    List.of(ImageResult.error(profile, null, profile + ": cannot list folder (" + e.getMessage() + ")")),
                    labels());
        }
        List<ImageResult> results = new ArrayList<>();
        List<Integer> pendingSlots = new ArrayList<>();
        List<Prepared> pending = new ArrayList<>();
        int pendingCrops = 0;
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!Files.isRegularFile(entry)) {
                results.add(ImageResult.error(name, null, name + ": not a regular file (broken link, device or loop)"));
                continue;
            }
            Prepared prepared;
            try {
                ImageGate.Admitted admitted = gate.admit(entry, name);
                prepared = prepare(admitted.image(), name, admitted.sha256());
            } catch (ImageGate.Refused e) {
                results.add(ImageResult.error(name, null, e.getMessage()));
                continue;
            } catch (RuntimeException | OutOfMemoryError e) {
                results.add(ImageResult.error(name, null, name + ": analysis failed (" + e.getClass().getSimpleName()
                        + ")"));
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
        return RecommendationRules.forProfile(profile, results, labels());
    }

    /** Scores the pending images' crops in one batch and puts each image's result in its slot; clears the lists. */
    private void scoreBatch(List<Prepared> pending, List<Integer> slots, List<ImageResult> results) {
        List<RgbImage> all = new ArrayList<>();
        for (Prepared p : pending) {
            all.addAll(p.crops());
        }
        List<CropScores> scores;
        try {
            scores = all.isEmpty() ? List.of() : ensemble.score(all);
        } catch (RuntimeException | OutOfMemoryError e) {
            for (int i = 0; i < pending.size(); i++) {
                Prepared p = pending.get(i);
                results.set(slots.get(i), ImageResult.error(p.name(), p.sha256(), p.name() + ": analysis failed ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
            }
            pending.clear();
            slots.clear();
            return;
        }
        int offset = 0;
        for (int i = 0; i < pending.size(); i++) {
            Prepared p = pending.get(i);
            results.set(slots.get(i), finish(p, scores.subList(offset, offset + p.crops().size())));
            offset += p.crops().size();
        }
        pending.clear();
        slots.clear();
    }

    /** A folder whose sub-folders are profiles: one result per sub-folder, by name. */
    public List<ProfileResult> recommendProfiles(Path folderOfFolders) throws IOException {
        List<ProfileResult> out = new ArrayList<>();
        for (Path entry : list(folderOfFolders)) {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                out.add(recommendProfile(entry));
            }
        }
        return out;
    }

    /** Entries of a folder sorted by name (hidden entries, starting with '.', left out). */
    static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            if (detector != null) {
                detector.close();
            }
        }
    }
}
