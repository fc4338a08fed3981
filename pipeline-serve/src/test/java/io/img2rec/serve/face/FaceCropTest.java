package io.img2rec.serve.face;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceCropTest {

    @Test
    void expandsAFaceBoxByTheOriginalMarginsWorkedByHand() {
        // h = 200 - 100 = 100, w = 260 - 180 = 80; above = floor(62.5) = 62, below = 25,
        // side = floor((175 - 80) / 2) = floor(47.5) = 47.
        FaceBox box = new FaceBox(100, 260, 200, 180);
        CropBox crop = FaceCrop.expand(box, 1000, 1000, 150).orElseThrow();
        assertEquals(new CropBox(180 - 47, 100 - 62, 80 + 2 * 47, 100 + 62 + 25), crop);
    }

    @Test
    void clampsTheCropToTheImage() {
        FaceBox box = new FaceBox(30, 120, 130, 20); // h = 100, w = 100: side = floor(37.5) = 37
        CropBox crop = FaceCrop.expand(box, 140, 150, 150).orElseThrow();
        // rows 30-62 = -32 -> 0 ... 130+25 = 155 -> 150; columns 20-37 = -17 -> 0 ... 120+37 = 157 -> 140
        assertEquals(new CropBox(0, 0, 140, 150), crop);
    }

    @Test
    void sizeFilterDependsOnTheFaceNotOnWhereItSits() {
        FaceBox centred = new FaceBox(400, 540, 500, 460);      // h = 100: unclamped crop 174 x 187
        FaceBox atCorner = new FaceBox(0, 80, 100, 0);          // same face size, crop clamped to 127 x 125
        assertTrue(FaceCrop.expand(centred, 1000, 1000, 150).isPresent());
        Optional<CropBox> corner = FaceCrop.expand(atCorner, 1000, 1000, 150);
        assertTrue(corner.isPresent(), "the original dropped this face because its clamped crop was small");
        assertTrue(corner.get().width() <= 150 && corner.get().height() <= 150);
    }

    @Test
    void smallFacesAreSkippedAndZeroKeepsEverything() {
        FaceBox small = new FaceBox(100, 150, 150, 100); // h = 50: unclamped 87 x 93
        assertTrue(FaceCrop.expand(small, 1000, 1000, 150).isEmpty());
        assertTrue(FaceCrop.expand(small, 1000, 1000, 0).isPresent());
        // a side of exactly 150 is skipped ("<= 150"): h = 86, w = 100 gives columns 100 + 2 * floor(25.25) = 150
        FaceBox edge = new FaceBox(200, 260, 286, 160);
        assertEquals(150, FaceCrop.unclamped(edge).width());
        assertEquals(160, FaceCrop.unclamped(edge).height());
        assertTrue(FaceCrop.expand(edge, 1000, 1000, 150).isEmpty());
        assertTrue(FaceCrop.expand(edge, 1000, 1000, 149).isPresent());
    }

    @Test
    void aWideBoxGetsANegativeMarginAsInTheOriginal() {
        // h = 100, w = 400: side = int((2.5 * 100 * 0.7 - 400) / 2) = int(-112.5) = -112 (Python truncates toward 0)
        FaceBox wide = new FaceBox(100, 500, 200, 100);
        CropBox crop = FaceCrop.unclamped(wide);
        assertEquals(100 + 112, crop.left());
        assertEquals(400 - 224, crop.width());
    }

    @Test
    void theHorizontalMarginFollowsTheOriginalsFloatingPoint() {
        // h = 72: 2.5 * 72 * 0.7 = 125.99999999999999 in doubles (Python gives the same), so with w = 70 the margin
        // is int(27.999…) = 27, not 28 as exact arithmetic (1.75 * 72 = 126) would give.
        FaceBox box = new FaceBox(100, 270, 172, 200);
        CropBox crop = FaceCrop.unclamped(box);
        assertEquals(200 - 27, crop.left());
        assertEquals(70 + 2 * 27, crop.width());
        assertEquals(172 + 18 - (100 - 45), crop.height()); // int(45.0) above, int(18.0) below
    }

    @Test
    void calibrationScalesAndShiftsAroundTheCentre() {
        FaceBox box = new FaceBox(100, 200, 200, 100);
        assertEquals(box, BoxCalibration.IDENTITY.apply(box));
        FaceBox moved = new BoxCalibration(0.8, 0.0, 0.1).apply(box);
        assertEquals(new FaceBox(120, 190, 200, 110), moved);
    }
}
