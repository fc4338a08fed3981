package io.img2rec.serve.face;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The second look at a face candidate: a face has at least one eye where eyes belong. The candidate's upper part
 * (rows 15–60 % of the box) is scaled so that the box is {@link Settings#faceWidth} px wide, equalised on its own,
 * and searched with OpenCV's eye cascade and its eye-with-eyeglasses cascade (both ship in the opencv jar beside the
 * face cascades); the candidate passes when either finds an eye of plausible size (12–40 % of the face width) whose
 * centre lies inside the box's middle 90 % horizontally. Fur, fabric and brickwork fool the face cascade far more
 * often than they fool both eye cascades at the eye's place and size.
 *
 * <p>Not thread-safe: its owner ({@link HaarFaceDetector}) serialises calls.
 */
final class EyeCheck implements AutoCloseable {
    /** The cascades tried, in order; eyeglasses matter (eyewear is one of the labels). */
    static final String EYE_CASCADE = "haarcascade_eye.xml";
    static final String EYEGLASSES_CASCADE = "haarcascade_eye_tree_eyeglasses.xml";

    /**
     * @param faceWidth    width the candidate is scaled to before the eye search, px
     * @param minNeighbors overlapping eye detections needed
     */
    record Settings(int faceWidth, int minNeighbors) {
        static final Settings DEFAULTS = new Settings(200, 3);

        Settings {
            if (faceWidth < 40 || minNeighbors < 0) {
                throw new IllegalArgumentException("need faceWidth >= 40 and minNeighbors >= 0; got " + faceWidth
                        + ", " + minNeighbors);
            }
        }
    }

    private final CascadeClassifier eyes;
    private final CascadeClassifier eyesWithGlasses;
    private final Settings settings;

    EyeCheck(Settings settings) {
        this.settings = settings;
        this.eyes = HaarFaceDetector.loadCascade(EYE_CASCADE);
        CascadeClassifier glasses;
        try {
            glasses = HaarFaceDetector.loadCascade(EYEGLASSES_CASCADE);
        } catch (RuntimeException e) {
            eyes.close();
            throw e;
        }
        this.eyesWithGlasses = glasses;
    }

    /** Whether the candidate {@code face} (x, y, width, height in {@code grey}) shows an eye. */
    boolean accepts(Mat grey, int x, int y, int width, int height) {
        return eyeSides(grey, x, y, width, height) > 0;
    }

    /** How many halves of the candidate (left, right) show an eye: 0, 1 or 2. */
    int eyeSides(Mat grey, int x, int y, int width, int height) {
        int w = settings.faceWidth();
        double f = (double) w / width;
        int h = Math.max(1, (int) Math.round(height * f));
        try (Rect box = new Rect(x, y, width, height);
             Mat roi = new Mat(grey, box);
             Mat scaled = new Mat();
             Size to = new Size(w, h)) {
            resize(roi, scaled, to, 0, 0, f < 1 ? INTER_AREA : INTER_LINEAR);
            int sides = eyeSides(eyes, scaled, w, h);
            return sides == 3 ? 2 : Integer.bitCount(sides | eyeSides(eyesWithGlasses, scaled, w, h));
        }
    }

    /** Bit 1: an eye in the left half, bit 2: in the right half. */
    private int eyeSides(CascadeClassifier cascade, Mat face, int faceWidth, int faceHeight) {
        int min = Math.max(8, (int) Math.round(0.10 * faceWidth));
        int max = (int) Math.round(0.40 * faceWidth);
        try (RectVector found = new RectVector();
             Size minSize = new Size(min, min);
             Size maxSize = new Size(max, max)) {
            int sides = 0;
            cascade.detectMultiScale(face, found, 1.05, settings.minNeighbors(), 0, minSize, maxSize);
            for (long i = 0; i < found.size(); i++) {
                try (Rect r = found.get(i)) {
                    double cx = (r.x() + r.width() / 2.0) / faceWidth;
                    double cy = (r.y() + r.height() / 2.0) / faceHeight;
                    if (cx >= 0.1 && cx <= 0.9 && cy >= 0.15 && cy <= 0.6) {
                        sides |= cx < 0.5 ? 1 : 2;
                    }
                }
            }
            return sides;
        }
    }

    @Override
    public void close() {
        eyes.close();
        eyesWithGlasses.close();
    }
}
