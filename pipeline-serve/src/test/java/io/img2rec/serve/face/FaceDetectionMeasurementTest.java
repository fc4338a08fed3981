package io.img2rec.serve.face;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Precision and recall at IoU 0.5 of the face detector (with the default {@link BoxCalibration}) on the labelled
 * photos of {@link FacePhotoSet}, without and with the second cascade's confirmation; the figures measured on 2026-12-03 (docs/SERVING.md,
 * Faces) are lower bounds here, less a margin of {@value #MARGIN}. "Usable" counts only faces whose crop passes the
 * default size filter (side > 150 px): those are the faces that reach the models and can make a recommendation.
 */
class FaceDetectionMeasurementTest {
    static final double IOU = 0.5;
    static final double MARGIN = 0.03;
    /** Measured with the confirmation (the default) on 2026-12-03: 72 of 82 faces found, 2 false detections. */
    static final double MEASURED_PRECISION = 0.973;
    static final double MEASURED_RECALL = 0.878;

    private static List<FacePhotoSet.Labelled> set;
    private static Figures before;
    private static Figures after;

    @BeforeAll
    static void measureBoth() throws Exception {
        set = FacePhotoSet.all();
        HaarFaceDetector.Settings d = HaarFaceDetector.Settings.DEFAULTS;
        before = measure(new HaarFaceDetector.Settings(d.scaleFactor(), d.minNeighbors(), d.minFaceSide(), false));
        after = measure(d);
        print("face detection at IoU " + IOU + ", bare Haar cascade:", before);
        print("face detection at IoU " + IOU + ", confirmed by a second cascade (default):", after);
    }

    private record Figures(Map<FacePhotoSet.Origin, DetectionCounts> byOrigin, DetectionCounts all,
                           DetectionCounts usable) {
    }

    private static Figures measure(HaarFaceDetector.Settings settings) {
        Map<FacePhotoSet.Origin, DetectionCounts> by = new EnumMap<>(FacePhotoSet.Origin.class);
        DetectionCounts usable = DetectionCounts.ZERO;
        try (HaarFaceDetector detector = new HaarFaceDetector(HaarFaceDetector.DEFAULT_CASCADE, settings)) {
            for (FacePhotoSet.Labelled l : set) {
                List<FaceBox> found = detector.detect(l.image()).stream().map(BoxCalibration.DLIB_HOG::apply).toList();
                by.merge(l.origin(), DetectionCounts.of(l.faces(), l.ignored(), found, l.people(), IOU),
                        DetectionCounts::plus);
                int w = l.image().width();
                int h = l.image().height();
                // a labelled face too small to use is ignored, so that a detection of it just above the size
                // limit counts neither way
                List<FaceBox> small = l.faces().stream().filter(b -> usableOnly(List.of(b), w, h).isEmpty()).toList();
                List<FaceBox> ignored = java.util.stream.Stream.concat(l.ignored().stream(), small.stream()).toList();
                usable = usable.plus(DetectionCounts.of(usableOnly(l.faces(), w, h), ignored,
                        usableOnly(found, w, h), l.people(), IOU));
            }
        }
        DetectionCounts all = by.values().stream().reduce(DetectionCounts.ZERO, DetectionCounts::plus);
        return new Figures(by, all, usable);
    }

    private static List<FaceBox> usableOnly(List<FaceBox> boxes, int width, int height) {
        return boxes.stream().filter(b -> FaceCrop.expand(b, width, height, 150).isPresent()).toList();
    }

    private static void print(String title, Figures f) {
        System.out.printf(Locale.ROOT, "%s%n", title);
        f.byOrigin().forEach((origin, k) -> System.out.println("  " + line(origin.name(), k)));
        System.out.println("  " + line("ALL", f.all()));
        System.out.println("  " + line("ALL, usable faces only", f.usable()));
    }

    private static String line(String what, DetectionCounts k) {
        return String.format(Locale.ROOT, "%-24s precision %.3f recall %.3f  (TP %d, FP %d, missed %d; no-people "
                        + "images with a face %d of %d)", what, k.precision(), k.recall(), k.truePositives(),
                k.falsePositives(), k.missed(), k.noPeopleImagesWithFace(), k.noPeopleImages());
    }

    @Test
    void secondCascadeRaisesPrecisionWithoutLosingRecall() {
        assertTrue(after.all().precision() >= MEASURED_PRECISION - MARGIN, () -> "precision " + after.all());
        assertTrue(after.all().recall() >= MEASURED_RECALL - MARGIN, () -> "recall " + after.all());
        assertTrue(after.all().recall() >= before.all().recall(), "the second check must not lose a face");
        assertTrue(after.all().precision() > before.all().precision(), "the second check must remove false faces");
        assertEquals(0, after.all().noPeopleImagesWithFace(), () -> "no-people images with a face " + after.all());
        assertEquals(0, after.byOrigin().get(FacePhotoSet.Origin.PHOTO).falsePositives(),
                "a photo as committed gets no false face");
    }

    @Test
    void photosWithoutPeopleYieldNoUsableFaceAndUsableFacesAreFound() {
        assertEquals(0, after.usable().noPeopleImagesWithFace(), () -> "usable faces on no-people images "
                + after.usable());
        assertTrue(after.usable().recall() >= MEASURED_RECALL - MARGIN, () -> "usable recall " + after.usable());
    }
}
