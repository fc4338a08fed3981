package io.img2rec.serve.face;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reproduces the measurement behind {@link BoxCalibration#DLIB_HOG} from committed files: the two public-domain
 * photographs, their variants made in Java, and the dlib boxes recorded for those variants by tools/dlib-boxes (dlib
 * itself is not needed here). Haar runs live, so a change of cascade, settings or OpenCV version shows up here.
 */
class BoxCalibrationMeasurementTest {
    private static final String DLIB_BOXES = CalibrationPhotos.RESOURCE_DIR + "dlib-boxes.tsv";

    @Test
    void haarBoxesOnTheCommittedPhotosGiveTheDefaultCalibration() throws Exception {
        assumeTrue(CalibrationPhotos.available() && getClass().getResource(DLIB_BOXES) != null,
                "calibration photographs or " + DLIB_BOXES + " are not on the test class path");
        Map<String, List<FaceBox>> dlib;
        try (InputStream in = getClass().getResourceAsStream(DLIB_BOXES)) {
            dlib = CalibrationMeasurement.readDlibBoxes(in);
        }
        CalibrationMeasurement.Measurement m;
        try (HaarFaceDetector haar = new HaarFaceDetector()) {
            m = CalibrationMeasurement.measure(haar, dlib);
        }
        assertEquals(CalibrationPhotos.variants().size(), m.variants(), "every variant has a line in dlib-boxes.tsv");
        assertTrue(m.pairs().size() >= 50, "pairs: " + m.pairs().size() + ", unpaired variants " + m.withoutPair());

        BoxCalibration fitted = BoxCalibrationFit.fit(m.pairs()).calibration();
        BoxCalibration used = BoxCalibration.DLIB_HOG;
        // the default is the fit rounded to two decimals (offsetX measured -0.003, set to 0)
        assertEquals(used.scale(), fitted.scale(), 0.01, "scale");
        assertEquals(used.offsetX(), fitted.offsetX(), 0.01, "offsetX");
        assertEquals(used.offsetY(), fitted.offsetY(), 0.01, "offsetY");

        BoxCalibrationFit.Residual calibrated = BoxCalibrationFit.residual(used, m.pairs());
        BoxCalibrationFit.Residual identity = BoxCalibrationFit.residual(BoxCalibration.IDENTITY, m.pairs());
        assertTrue(calibrated.edgeRms() < 0.06 && calibrated.meanIou() > 0.84, "residual " + calibrated);
        assertTrue(calibrated.edgeRms() < identity.edgeRms() / 2, calibrated + " vs identity " + identity);
    }
}
