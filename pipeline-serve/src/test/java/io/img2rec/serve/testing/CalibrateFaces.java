package io.img2rec.serve.testing;

import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.RgbImage;
import io.img2rec.serve.face.BoxCalibration;
import io.img2rec.serve.face.BoxCalibrationFit;
import io.img2rec.serve.face.CalibrationMeasurement;
import io.img2rec.serve.face.CalibrationPhotos;
import io.img2rec.serve.face.HaarFaceDetector;

import javax.imageio.ImageIO;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Haar side of {@code tools/calibrate-faces.sh}:
 * <ul>
 *   <li>{@code variants OUT_DIR} writes the calibration variants as PNG for {@code tools/dlib-boxes};</li>
 *   <li>{@code fit DLIB_BOXES_TSV} runs the Haar detector on the same variants (rendered again in memory), pairs its
 *       boxes with dlib's, prints each pair and the fitted calibration with its residual, next to the default's.</li>
 * </ul>
 */
public final class CalibrateFaces {
    private CalibrateFaces() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("variants") || args[0].equals("fit"))) {
            System.err.println("usage: CalibrateFaces variants OUT_DIR | fit DLIB_BOXES_TSV");
            System.exit(2);
        }
        if (args[0].equals("variants")) {
            writeVariants(Path.of(args[1]));
        } else {
            fit(Path.of(args[1]));
        }
    }

    private static void writeVariants(Path out) throws Exception {
        Files.createDirectories(out);
        Map<String, RgbImage> sources = new HashMap<>();
        List<CalibrationPhotos.Variant> variants = CalibrationPhotos.variants();
        for (CalibrationPhotos.Variant v : variants) {
            RgbImage source = sources.get(v.photo());
            if (source == null) {
                source = CalibrationPhotos.load(v.photo());
                sources.put(v.photo(), source);
            }
            ImageIO.write(ImageDecoder.toBufferedImage(CalibrationPhotos.render(v, source)), "png",
                    out.resolve(v.name()).toFile());
        }
        System.out.println("wrote " + variants.size() + " variants to " + out);
    }

    private static void fit(Path dlibTsv) throws Exception {
        Map<String, List<io.img2rec.serve.face.FaceBox>> dlib;
        try (InputStream in = Files.newInputStream(dlibTsv)) {
            dlib = CalibrationMeasurement.readDlibBoxes(in);
        }
        CalibrationMeasurement.Measurement m;
        try (HaarFaceDetector haar = new HaarFaceDetector()) {
            m = CalibrationMeasurement.measure(haar, dlib);
        }
        System.out.println("variant\thaar(t,r,b,l)\tdlib(t,r,b,l)\tw'/w\tdx/w\tdy/h");
        for (BoxCalibrationFit.Pair p : m.pairs()) {
            var d = p.detected();
            var r = p.reference();
            System.out.printf(Locale.ROOT, "%s\t%d,%d,%d,%d\t%d,%d,%d,%d\t%.3f\t%+.3f\t%+.3f%n", p.image(),
                    d.top(), d.right(), d.bottom(), d.left(), r.top(), r.right(), r.bottom(), r.left(),
                    (double) r.width() / d.width(), ((r.left() + r.right()) - (d.left() + d.right())) / 2.0 / d.width(),
                    ((r.top() + r.bottom()) - (d.top() + d.bottom())) / 2.0 / d.height());
        }
        System.out.printf(Locale.ROOT, "%d variants, %d pairs used, %d pairs left out (dlib box at the border), "
                + "no pair in: %s%n", m.variants(), m.pairs().size(), m.trimmedLeftOut(), m.withoutPair());
        for (String photo : CalibrationPhotos.PHOTOS) {
            String stem = photo.substring(0, photo.lastIndexOf('.')) + "_";
            List<BoxCalibrationFit.Pair> own = m.pairs().stream().filter(p -> p.image().startsWith(stem)).toList();
            if (!own.isEmpty()) {
                report("photo " + photo, BoxCalibrationFit.fit(own), own);
            }
        }
        BoxCalibrationFit.Result all = BoxCalibrationFit.fit(m.pairs());
        report("all", all, m.pairs());
        BoxCalibrationFit.Residual def = BoxCalibrationFit.residual(BoxCalibration.DLIB_HOG, m.pairs());
        BoxCalibrationFit.Residual id = BoxCalibrationFit.residual(BoxCalibration.IDENTITY, m.pairs());
        System.out.printf(Locale.ROOT, "default %s: %s%nidentity: %s%n", BoxCalibration.DLIB_HOG, def, id);
    }

    private static void report(String what, BoxCalibrationFit.Result r, List<BoxCalibrationFit.Pair> pairs) {
        BoxCalibration c = r.calibration();
        System.out.printf(Locale.ROOT, "%s (%d pairs): scale %.4f (w %.4f±%.4f, h %.4f±%.4f), offsetX %+.4f±%.4f, "
                        + "offsetY %+.4f±%.4f; residual %s%n", what, r.pairs(), c.scale(),
                r.widthRatio().mean(), r.widthRatio().sd(), r.heightRatio().mean(), r.heightRatio().sd(),
                r.offsetX().mean(), r.offsetX().sd(), r.offsetY().mean(), r.offsetY().sd(),
                BoxCalibrationFit.residual(c, pairs));
    }
}
