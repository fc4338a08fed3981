package io.img2rec.serve.api;

import io.img2rec.serve.face.BoxCalibration;
import io.img2rec.serve.face.FaceCrop;

import java.util.Map;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How a {@link Recommender} treats images.
 *
 * @param faces               detect faces only, fall back to the whole image when none is usable, or never detect
 * @param minCropSide         faces whose unclamped expanded crop has a side &lt;= this are skipped (see {@link FaceCrop})
 * @param calibration         detector box → dlib-like box (default {@link BoxCalibration#DLIB_HOG})
 * @param architectureWeights weight of each architecture in the per-label average (absent = 1)
 * @param maxPixels           images whose header claims more pixels are refused before decoding
 * @param batchSize           most crops scored together when a folder is processed (an image's crops stay together)
 */
public record RecommenderOptions(FaceMode faces, int minCropSide, BoxCalibration calibration,
                                 Map<String, Double> architectureWeights, long maxPixels, int batchSize,
                                 OptionalDouble fixedThreshold, Duration batchWindow) {
    /** What is scored. */
    public enum FaceMode {
        /** Face crops only; an image without a usable face is reported as {@code NO_FACE}. */
        FACES,
        /** Face crops; the whole image when no usable face is found. */
        FACES_OR_WHOLE_IMAGE,
        /** The whole image, no detection (for portraits that are already cropped). */
        WHOLE_IMAGE
    }

    /** The pixel limit owned by {@link io.img2rec.core.manifest.ImageInspector#DEFAULT_MAX_PIXELS} (40 megapixels). */
    public static final long DEFAULT_MAX_PIXELS = io.img2rec.core.manifest.ImageInspector.DEFAULT_MAX_PIXELS;
    /** Most crops scored together when a folder is processed. */
    public static final int DEFAULT_BATCH_SIZE = 16;
    /**
     * Cross-request batching is on by default with a 5 ms window: concurrent calls' crops go through the networks
     * together on one thread of the Recommender's own. Measured on an idle 2-core AMD EPYC (Zen 4, AVX-512) on
     * 2026-12-04 with 16 clients and the server's 4 analysis slots: 9.8 req/s for VGG16@150 and 10.4 for
     * ResNet50@224, against 6.7–7.3 and 7.2–7.7 for two inference threads without batching, and resident memory
     * +23–82 / +37–101 MB against +65–145 / +355–378 MB (docs/RELIABILITY.md). {@link Duration#ZERO} turns it off (the
     * networks then run on the calling threads).
     */
    public static final long DEFAULT_BATCH_WINDOW_MS = 5;
    /** {@link #DEFAULT_BATCH_WINDOW_MS} as a duration: the window of {@link #DEFAULTS}. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(DEFAULT_BATCH_WINDOW_MS);

    public static final RecommenderOptions DEFAULTS = new RecommenderOptions(FaceMode.FACES, FaceCrop.DEFAULT_MIN_SIDE,
            BoxCalibration.DLIB_HOG, Map.of(), DEFAULT_MAX_PIXELS, DEFAULT_BATCH_SIZE, OptionalDouble.empty(),
            DEFAULT_BATCH_WINDOW);

    public RecommenderOptions {
        Objects.requireNonNull(faces, "faces");
        Objects.requireNonNull(calibration, "calibration");
        architectureWeights = Map.copyOf(architectureWeights);
        if (minCropSide < 0) {
            throw new IllegalArgumentException("minCropSide must be >= 0, got " + minCropSide);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        Objects.requireNonNull(fixedThreshold, "fixedThreshold");
        Objects.requireNonNull(batchWindow, "batchWindow");
        if (batchWindow.isNegative()) {
            throw new IllegalArgumentException("batchWindow must not be negative, got " + batchWindow);
        }
        if (fixedThreshold.isPresent() && !(fixedThreshold.getAsDouble() >= 0 && fixedThreshold.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("fixedThreshold must be in [0, 1], got " + fixedThreshold.getAsDouble());
        }
    }

    public RecommenderOptions withFaces(FaceMode mode) {
        return new RecommenderOptions(mode, minCropSide, calibration, architectureWeights, maxPixels, batchSize,
                fixedThreshold, batchWindow);
    }

    public RecommenderOptions withMinCropSide(int side) {
        return new RecommenderOptions(faces, side, calibration, architectureWeights, maxPixels, batchSize,
                fixedThreshold, batchWindow);
    }

    public RecommenderOptions withCalibration(BoxCalibration value) {
        return new RecommenderOptions(faces, minCropSide, value, architectureWeights, maxPixels, batchSize,
                fixedThreshold, batchWindow);
    }

    public RecommenderOptions withArchitectureWeights(Map<String, Double> weights) {
        return new RecommenderOptions(faces, minCropSide, calibration, weights, maxPixels, batchSize,
                fixedThreshold, batchWindow);
    }

    public RecommenderOptions withMaxPixels(long value) {
        return new RecommenderOptions(faces, minCropSide, calibration, architectureWeights, value, batchSize,
                fixedThreshold, batchWindow);
    }

    public RecommenderOptions withBatchSize(int value) {
        return new RecommenderOptions(faces, minCropSide, calibration, architectureWeights, maxPixels, value,
                fixedThreshold, batchWindow);
    }

    /**
     * Decide every label at this one threshold (the original's {@code >= 0.5}) instead of the ensemble rule's
     * thresholds tuned on the validation split (the default).
     */
    public RecommenderOptions withFixedThreshold(double threshold) {
        return new RecommenderOptions(faces, minCropSide, calibration, architectureWeights, maxPixels, batchSize,
                OptionalDouble.of(threshold), batchWindow);
    }

    /**
     * Concurrent calls' crops are scored together by one worker thread, which waits at most {@code window} for calls
     * still being prepared; {@link Duration#ZERO} scores every call on its own calling thread (no worker).
     */
    public RecommenderOptions withBatchWindow(Duration window) {
        return new RecommenderOptions(faces, minCropSide, calibration, architectureWeights, maxPixels, batchSize,
                fixedThreshold, window);
    }
}
