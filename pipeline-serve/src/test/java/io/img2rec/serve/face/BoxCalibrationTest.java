package io.img2rec.serve.face;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class BoxCalibrationTest {

    @Test
    void dlibHogDefaultShrinksTheHaarBoxAndMovesItDownWorkedByHand() {
        // Haar box x 100..300, y 100..300: w = h = 200, centre (200, 200).
        // scale 0.91 -> sides 182; offsetY 0.11 -> centre y 200 + 22 = 222; offsetX 0 -> centre x 200.
        // left = round(200 - 91) = 109, right = round(200 + 91) = 291, top = round(222 - 91) = 131,
        // bottom = round(222 + 91) = 313.
        FaceBox haar = new FaceBox(100, 300, 300, 100);
        assertEquals(new FaceBox(131, 291, 313, 109), BoxCalibration.DLIB_HOG.apply(haar));
    }

    @Test
    void identityStaysAvailableAndKeepsTheBox() {
        FaceBox box = new FaceBox(10, 90, 70, 30);
        assertSame(box, BoxCalibration.IDENTITY.apply(box));
        assertEquals(new BoxCalibration(0.91, 0.0, 0.11), BoxCalibration.DLIB_HOG);
    }

    @Test
    void fitRecoversAKnownCalibrationAndItsResidualIsZero() {
        // reference = detector box x 0.8 about a centre moved by (+0.05 w, +0.10 h), sides 100 and 200
        List<BoxCalibrationFit.Pair> pairs = List.of(
                new BoxCalibrationFit.Pair("a", new FaceBox(0, 100, 100, 0), new FaceBox(20, 95, 100, 15)),
                new BoxCalibrationFit.Pair("b", new FaceBox(0, 200, 200, 0), new FaceBox(40, 190, 200, 30)));
        BoxCalibrationFit.Result fit = BoxCalibrationFit.fit(pairs);
        assertEquals(0.8, fit.calibration().scale(), 1e-12);
        assertEquals(0.05, fit.calibration().offsetX(), 1e-12);
        assertEquals(0.10, fit.calibration().offsetY(), 1e-12);
        BoxCalibrationFit.Residual residual = BoxCalibrationFit.residual(fit.calibration(), pairs);
        assertEquals(0.0, residual.edgeRms(), 1e-12);
        assertEquals(1.0, residual.meanIou(), 1e-12);
    }

    @Test
    void matchingPairsEachDlibBoxWithTheBestOverlappingHaarBoxOnly() {
        FaceBox face = new FaceBox(100, 200, 200, 100);
        FaceBox patch = new FaceBox(400, 500, 500, 400); // a dlib false face with no Haar box near it
        FaceBox haar = new FaceBox(95, 205, 205, 95);
        FaceBox haarElsewhere = new FaceBox(0, 50, 50, 0);
        List<BoxCalibrationFit.Pair> pairs = BoxCalibrationFit.match("x", List.of(haarElsewhere, haar),
                List.of(patch, face), 0.3);
        assertEquals(List.of(new BoxCalibrationFit.Pair("x", haar, face)), pairs);
    }
}
