package io.img2rec.serve.face;

import io.img2rec.core.image.RgbImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

/**
 * OpenCV's Viola–Jones (Haar cascade) frontal-face detector, with the cascade file that ships inside the bytedeco
 * {@code opencv} platform jar ({@code org/bytedeco/opencv/<platform>/share/opencv4/haarcascades/}). Works offline.
 * The image is converted to grey and histogram-equalised before detection.
 *
 * <p>Second check (on by default, {@link Settings#confirm()}): the default cascade finds "faces" in fur, fabric,
 * gravel and the like, mostly in large photos; each of its candidates is kept only when a second, separately trained
 * frontal-face cascade finds the same face ({@link CascadeConfirmation}). The boxes themselves are the default
 * cascade's, unchanged, so {@link BoxCalibration#DLIB_HOG} still applies. Measured on labelled public-domain photos
 * (docs/SERVING.md, Faces; {@code FaceDetectionMeasurementTest}).
 *
 * <p>Thread safety: OpenCV does not promise that one {@code CascadeClassifier} may run {@code detectMultiScale} from
 * several threads at once, so calls are serialised on this instance (detection is tens of ms per photo, the second check
 * a few ms per candidate, far below the networks' cost).
 */
public final class HaarFaceDetector implements FaceDetector {
    /** The cascade the default constructor loads. */
    public static final String DEFAULT_CASCADE = "haarcascade_frontalface_default.xml";

    /**
     * Detection settings.
     *
     * @param scaleFactor  image pyramid step (&gt; 1)
     * @param minNeighbors overlapping detections needed to keep a face (higher = fewer false faces)
     * @param minFaceSide  smallest face side searched, pixels
     * @param confirm      keep only candidates that a second face cascade confirms (see {@link HaarFaceDetector});
     *                     false = the bare cascade, as before 2026-12-03
     */
    public record Settings(double scaleFactor, int minNeighbors, int minFaceSide, boolean confirm) {
        public static final Settings DEFAULTS = new Settings(1.1, 5, 30, true);

        public Settings {
            if (!(scaleFactor > 1.0) || minNeighbors < 0 || minFaceSide < 1) {
                throw new IllegalArgumentException("need scaleFactor > 1, minNeighbors >= 0, minFaceSide >= 1; got "
                        + scaleFactor + ", " + minNeighbors + ", " + minFaceSide);
            }
        }
    }

    private final CascadeClassifier cascade;
    private final Settings settings;
    private final String cascadeName;
    private final CascadeConfirmation confirmation;

    public HaarFaceDetector() {
        this(DEFAULT_CASCADE, Settings.DEFAULTS);
    }

    /** Loads one of the cascades shipped in the opencv jar by file name. */
    public HaarFaceDetector(String cascadeFile, Settings settings) {
        this.settings = settings;
        this.cascadeName = cascadeFile;
        this.cascade = loadCascade(cascadeFile);
        if (!settings.confirm()) {
            this.confirmation = null;
        } else {
            try {
                this.confirmation = new CascadeConfirmation();
            } catch (RuntimeException e) {
                cascade.close();
                throw e;
            }
        }
    }

    /** Loads one of the cascades shipped in the opencv jar ({@code share/opencv4/haarcascades/}) by file name. */
    static CascadeClassifier loadCascade(String cascadeFile) {
        String resource = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + cascadeFile;
        Path temp = null;
        try (InputStream in = HaarFaceDetector.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("cascade " + resource + " is not on the class path; the opencv jar for "
                        + "platform " + Loader.getPlatform() + " is needed (org.bytedeco:opencv with that classifier)");
            }
            temp = Files.createTempFile("img2rec-cascade-", ".xml");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            CascadeClassifier loaded = new CascadeClassifier();
            if (!loaded.load(temp.toString()) || loaded.empty()) {
                loaded.close();
                throw new IllegalStateException("OpenCV could not load cascade " + resource);
            }
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract cascade " + resource + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    public String cascadeName() {
        return cascadeName;
    }

    @Override
    public synchronized List<FaceBox> detect(RgbImage image) {
        List<FaceBox> faces = new ArrayList<>();
        for (Candidate c : candidates(image)) {
            if (confirmation == null || c.support() >= CascadeConfirmation.MIN_SUPPORT) {
                faces.add(c.box());
            }
        }
        return List.copyOf(faces);
    }

    /**
     * A face cascade's detection, its neighbour count, and the second cascade's support for it (0 without the
     * second check).
     */
    record Candidate(FaceBox box, int neighbours, int support) {
    }

    /** Every detection of the face cascade, top to bottom, then left to right, before the second check. */
    synchronized List<Candidate> candidates(RgbImage image) {
        List<Candidate> out = new ArrayList<>();
        try (BytePointer data = new BytePointer(image.pixels());
             Mat rgb = new Mat(image.height(), image.width(), CV_8UC3, data);
             Mat grey = new Mat();
             RectVector found = new RectVector();
             IntPointer neighbours = new IntPointer();
             Size min = new Size(settings.minFaceSide(), settings.minFaceSide());
             Size max = new Size()) {
            cvtColor(rgb, grey, COLOR_RGB2GRAY);
            equalizeHist(grey, grey);
            cascade.detectMultiScale2(grey, found, neighbours, settings.scaleFactor(), settings.minNeighbors(), 0,
                    min, max);
            for (long i = 0; i < found.size(); i++) {
                try (Rect r = found.get(i)) {
                    int support = confirmation == null ? 0
                            : confirmation.support(grey, r.x(), r.y(), r.width(), r.height());
                    out.add(new Candidate(FaceBox.ofRect(r.x(), r.y(), r.width(), r.height()), neighbours.get(i),
                            support));
                }
            }
        }
        out.sort(Comparator.comparingInt((Candidate c) -> c.box().top()).thenComparingInt(c -> c.box().left()));
        return out;
    }

    @Override
    public synchronized void close() {
        cascade.close();
        if (confirmation != null) {
            confirmation.close();
        }
    }
}
