package io.img2rec.serve.face;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * The second look at a face candidate: a second, separately trained frontal-face cascade
 * ({@value #CASCADE}, shipped in the opencv jar beside the default one) must find the same face. The candidate and a
 * margin of a quarter of its width around it are scaled so that the candidate is {@value #CANDIDATE_WIDTH} px wide and
 * searched for faces 110–220 px wide, as it is and turned by ±12°; the support is the largest neighbour count found. Fur, fabric, gravel and
 * galaxy fields fool each cascade in its own places, so a texture "face" rarely has support from both; a real face
 * has it at any size, with or without glasses.
 *
 * <p>Not thread-safe: its owner ({@link HaarFaceDetector}) serialises calls.
 */
final class CascadeConfirmation implements AutoCloseable {
    static final String CASCADE = "haarcascade_frontalface_alt2.xml";
    /**
     * The region is searched as it is and turned by these angles (degrees): the second cascade alone, like the first,
     * tolerates little tilt, and without the turned searches it dropped heads tilted 10–20° that the first found.
     */
    private static final double[] ANGLES = {0, -12, 12};
    /** Width the candidate is scaled to before the second search, px. */
    static final int CANDIDATE_WIDTH = 160;
    /**
     * Support needed to keep a candidate. On the labelled set (docs/SERVING.md, Faces) every real face had 30 or more
     * and every texture "face" 24 or less: the threshold sits midway.
     */
    static final int MIN_SUPPORT = 27;

    private final CascadeClassifier cascade;

    CascadeConfirmation() {
        this.cascade = HaarFaceDetector.loadCascade(CASCADE);
    }

    /** The second cascade's support for the candidate (x, y, width, height in {@code grey}, equalised): 0 = none. */
    int support(Mat grey, int x, int y, int width, int height) {
        int margin = width / 4;
        int left = Math.max(0, x - margin);
        int top = Math.max(0, y - margin);
        int right = Math.min(grey.cols(), x + width + margin);
        int bottom = Math.min(grey.rows(), y + height + margin);
        double f = (double) CANDIDATE_WIDTH / width;
        int w = Math.max(1, (int) Math.round((right - left) * f));
        int h = Math.max(1, (int) Math.round((bottom - top) * f));
        int best = 0;
        try (Rect area = new Rect(left, top, right - left, bottom - top);
             Mat roi = new Mat(grey, area);
             Mat scaled = new Mat();
             Size to = new Size(w, h);
             RectVector found = new RectVector();
             IntPointer neighbours = new IntPointer();
             Size min = new Size(110, 110);
             Size max = new Size(220, 220)) {
            resize(roi, scaled, to, 0, 0, f < 1 ? INTER_AREA : INTER_LINEAR);
            for (double angle : ANGLES) {
                if (angle == 0) {
                    best = Math.max(best, search(scaled, found, neighbours, min, max));
                    continue;
                }
                try (Point2f centre = new Point2f(w / 2f, h / 2f);
                     Mat turn = getRotationMatrix2D(centre, angle, 1.0);
                     Mat turned = new Mat();
                     Scalar border = new Scalar()) {
                    warpAffine(scaled, turned, turn, to, INTER_LINEAR, BORDER_REPLICATE, border);
                    best = Math.max(best, search(turned, found, neighbours, min, max));
                }
            }
        }
        return best;
    }

    private int search(Mat image, RectVector found, IntPointer neighbours, Size min, Size max) {
        cascade.detectMultiScale2(image, found, neighbours, 1.05, 1, 0, min, max);
        int best = 0;
        for (long i = 0; i < found.size(); i++) {
            best = Math.max(best, neighbours.get(i));
        }
        return best;
    }

    @Override
    public void close() {
        cascade.close();
    }
}
