package io.img2rec.serve.face;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.RgbImage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a face detector on the calibration variants ({@link CalibrationPhotos}) and pairs its boxes with the dlib boxes
 * recorded for the same variants by {@code tools/dlib-boxes} (file {@code dlib-boxes.tsv}: image, top, right, bottom,
 * left; or image, {@code none}).
 */
public final class CalibrationMeasurement {
    /** Lowest IoU at which a detector box and a dlib box are taken to be the same face. */
    public static final double MIN_IOU = 0.3;

    /**
     * What was measured.
     *
     * @param pairs           matched boxes used for the fit (dlib box not touching the image border)
     * @param variants        variants looked at
     * @param withoutPair     variants in which no Haar box matched a dlib box
     * @param trimmedLeftOut  matched pairs left out because dlib's box touched the border (trimmed by face_recognition)
     */
    public record Measurement(List<BoxCalibrationFit.Pair> pairs, int variants, List<String> withoutPair,
                              int trimmedLeftOut) {
    }

    private CalibrationMeasurement() {
    }

    /** Reads dlib-boxes.tsv: variant name → its boxes (empty for {@code none}). */
    public static Map<String, List<FaceBox>> readDlibBoxes(InputStream in) throws IOException {
        Map<String, List<FaceBox>> boxes = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            String name = f[0].substring(f[0].lastIndexOf('/') + 1);
            List<FaceBox> list = boxes.computeIfAbsent(name, k -> new ArrayList<>());
            if (f.length == 2 && f[1].equals("none")) {
                continue;
            }
            if (f.length != 5) {
                throw new IOException("dlib-boxes line " + number + " should be 'image top right bottom left' or "
                        + "'image none' (tab-separated), got: " + line);
            }
            list.add(new FaceBox(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4])));
        }
        return boxes;
    }

    /** Renders every variant named in {@code dlibBoxes}, detects, matches and collects the pairs. */
    public static Measurement measure(FaceDetector detector, Map<String, List<FaceBox>> dlibBoxes)
            throws IOException, ImageDecodeException {
        Map<String, RgbImage> sources = new HashMap<>();
        List<BoxCalibrationFit.Pair> pairs = new ArrayList<>();
        List<String> withoutPair = new ArrayList<>();
        int variants = 0;
        int trimmed = 0;
        for (CalibrationPhotos.Variant variant : CalibrationPhotos.variants()) {
            List<FaceBox> reference = dlibBoxes.get(variant.name());
            if (reference == null) {
                continue;
            }
            variants++;
            RgbImage source = sources.get(variant.photo());
            if (source == null) {
                source = CalibrationPhotos.load(variant.photo());
                sources.put(variant.photo(), source);
            }
            RgbImage image = CalibrationPhotos.render(variant, source);
            List<BoxCalibrationFit.Pair> matched = BoxCalibrationFit.match(variant.name(), detector.detect(image),
                    reference, MIN_IOU);
            if (matched.isEmpty()) {
                withoutPair.add(variant.name());
            }
            for (BoxCalibrationFit.Pair pair : matched) {
                if (BoxCalibrationFit.touchesBorder(pair.reference(), image.width(), image.height())) {
                    trimmed++;
                } else {
                    pairs.add(pair);
                }
            }
        }
        return new Measurement(List.copyOf(pairs), variants, List.copyOf(withoutPair), trimmed);
    }
}
