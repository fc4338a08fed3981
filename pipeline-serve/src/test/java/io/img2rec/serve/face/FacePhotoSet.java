package io.img2rec.serve.face;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.RgbImage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The labelled photos the face detector is measured on ({@code photos/faces.csv}, sources and licences in
 * {@code photos/SOURCES.md}): public-domain and CC0 photos from Debian packages with hand-drawn face boxes, photos
 * without people (a cat, a raccoon, coffee, bricks, grass, gravel, coins, a rocket, a galaxy field), two generated
 * fabric textures, and generated scenes that paste the labelled heads, feathered, at several sizes onto the no-people
 * photos (as they are, darkened, grey, and with dark sunglasses drawn on). Everything is made here in pure Java, deterministically.
 */
public final class FacePhotoSet {
    public static final String RESOURCE_DIR = "/io/img2rec/serve/face/photos/";

    /** Where a labelled image comes from; figures are reported per origin and for all. */
    public enum Origin { PHOTO, PHOTO_ENLARGED, PHOTO_TILTED, GENERATED_TEXTURE, GENERATED_SCENE }

    /**
     * One labelled image.
     *
     * @param faces   frontal faces (count for recall)
     * @param ignored faces the frontal detector is not meant to find (profile): a detection on one is not counted
     * @param people  false for a photo that must yield no face
     */
    public record Labelled(String name, Origin origin, RgbImage image, List<FaceBox> faces, List<FaceBox> ignored,
                           boolean people) {
    }

    private record Row(String file, boolean people, List<FaceBox> frontal, List<FaceBox> profile) {
    }

    private FacePhotoSet() {
    }

    /** The photos as committed, then the generated textures, then the generated scenes. */
    public static List<Labelled> all() throws IOException, ImageDecodeException {
        Map<String, Row> rows = readCsv();
        Map<String, RgbImage> images = new LinkedHashMap<>();
        List<Labelled> out = new ArrayList<>();
        for (Row row : rows.values()) {
            RgbImage image = load(row.file());
            images.put(row.file(), image);
            out.add(new Labelled(row.file(), Origin.PHOTO, image, row.frontal(), row.profile(), row.people()));
        }
        for (int f : new int[] {2, 3}) {
            // each photo also enlarged ×2 and ×3 (1,000–1,500 px, as users' photos are: more windows at face scale,
            // where the bare cascade finds most of its false faces)
            for (Row row : rows.values()) {
                RgbImage image = images.get(row.file());
                out.add(new Labelled(row.file() + " ×" + f, Origin.PHOTO_ENLARGED, CalibrationPhotos.resample(image,
                        image.width() * f, image.height() * f), scaled(row.frontal(), f), scaled(row.profile(), f),
                        row.people()));
            }
        }
        for (Row row : rows.values()) {
            // the face photos turned about the face's centre: the box of a tilted face is taken to be the upright
            // box of the same centre and size (what dlib-style boxes of a tilted face are, roughly)
            for (FaceBox face : row.frontal()) {
                for (int degrees : new int[] {-20, -15, -10, 10, 15, 20}) {
                    out.add(new Labelled(row.file() + " turned " + degrees + "°", Origin.PHOTO_TILTED,
                            rotate(images.get(row.file()), degrees, (face.left() + face.right()) / 2.0,
                                    (face.top() + face.bottom()) / 2.0), List.of(face), List.of(), true));
                }
            }
        }
        out.add(new Labelled("tartan (generated)", Origin.GENERATED_TEXTURE, tartan(480, 360, 11), List.of(),
                List.of(), false));
        out.add(new Labelled("knit (generated)", Origin.GENERATED_TEXTURE, knit(480, 360, 23), List.of(), List.of(),
                false));
        List<Row> heads = rows.values().stream().filter(r -> !r.frontal().isEmpty()).toList();
        List<Row> backgrounds = rows.values().stream().filter(r -> !r.people()).toList();
        int seed = 0;
        for (Row background : backgrounds) {
            for (String look : List.of("as is", "dark", "grey", "sunglasses")) {
                seed++;
                out.add(scene(background.file() + " + heads, " + look, images.get(background.file()), heads, images,
                        look, seed));
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, Row> readCsv() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (InputStream in = resource("faces.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 6) {
                    throw new IOException("faces.csv: expected 6 fields (file,people,faces,package,path,licence), got "
                            + f.length + " in: " + line);
                }
                List<FaceBox> frontal = new ArrayList<>();
                List<FaceBox> profile = new ArrayList<>();
                if (!f[2].isBlank()) {
                    for (String box : f[2].split("\\|")) {
                        String[] v = box.trim().split(" ");
                        FaceBox b = new FaceBox(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]),
                                Integer.parseInt(v[3]));
                        (v[4].equals("profile") ? profile : frontal).add(b);
                    }
                }
                rows.put(f[0], new Row(f[0], f[1].equals("yes"), List.copyOf(frontal), List.copyOf(profile)));
            }
        }
        return rows;
    }

    private static List<FaceBox> scaled(List<FaceBox> boxes, int f) {
        return boxes.stream().map(b -> new FaceBox(b.top() * f, b.right() * f, b.bottom() * f, b.left() * f)).toList();
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = FacePhotoSet.class.getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new IOException("face photo " + RESOURCE_DIR + file + " is not on the class path");
        }
        return in;
    }

    static RgbImage load(String file) throws IOException, ImageDecodeException {
        try (InputStream in = resource(file)) {
            return ImageDecoder.decode(in.readAllBytes(), file);
        }
    }

    /**
     * A no-people photo with two labelled heads pasted in (a feathered ellipse around each face, the head scaled so
     * that the face is 36 to 150 px tall, one of them mirrored), then darkened to 45 % or turned grey if asked.
     */
    private static Labelled scene(String name, RgbImage background, List<Row> heads, Map<String, RgbImage> images,
                                  String look, int seed) {
        Random random = new Random(seed);
        float[] canvas = floats(background);
        int w = background.width();
        int h = background.height();
        List<FaceBox> faces = new ArrayList<>();
        int[] sizes = {36, 44, 56, 72, 96, 128, 150};
        for (int k = 0; k < heads.size(); k++) {
            Row head = heads.get(k);
            FaceBox face = head.frontal().get(0);
            RgbImage photo = images.get(head.file());
            int target = sizes[(seed * 3 + k * 5) % sizes.length];
            target = Math.min(target, (int) (h / 2.4));
            double f = (double) target / face.height();
            // head patch in the source: 1.7 face widths wide, from 0.55 face heights above to 0.25 below
            int pl = Math.max(0, face.left() - (int) (0.35 * face.width()));
            int pr = Math.min(photo.width(), face.right() + (int) (0.35 * face.width()));
            int pt = Math.max(0, face.top() - (int) (0.55 * face.height()));
            int pb = Math.min(photo.height(), face.bottom() + (int) (0.25 * face.height()));
            RgbImage patch = CalibrationPhotos.resample(photo.crop(pl, pt, pr - pl, pb - pt),
                    Math.max(1, (int) Math.round((pr - pl) * f)), Math.max(1, (int) Math.round((pb - pt) * f)));
            boolean mirror = (seed + k) % 2 == 1;
            // each head in its own half of the canvas
            int half = w / heads.size();
            int x0 = k * half + random.nextInt(Math.max(1, half - patch.width()));
            int y0 = random.nextInt(Math.max(1, h - patch.height()));
            if (look.equals("sunglasses")) {
                patch = sunglasses(patch, (face.left() - pl) * f, (face.top() - pt) * f, face.width() * f);
            }
            paste(canvas, w, h, patch, x0, y0, mirror);
            double fl = (face.left() - pl) * f;
            double fr = (face.right() - pl) * f;
            if (mirror) {
                double l = patch.width() - fr;
                fr = patch.width() - fl;
                fl = l;
            }
            faces.add(new FaceBox((int) Math.round(y0 + (face.top() - pt) * f), (int) Math.round(x0 + fr),
                    (int) Math.round(y0 + (face.bottom() - pt) * f), (int) Math.round(x0 + fl)));
        }
        for (int i = 0; i < canvas.length; i += 3) {
            if (look.equals("dark")) {
                for (int c = 0; c < 3; c++) {
                    canvas[i + c] *= 0.45f;
                }
            } else if (look.equals("grey")) {
                float y = 0.299f * canvas[i] + 0.587f * canvas[i + 1] + 0.114f * canvas[i + 2];
                canvas[i] = y;
                canvas[i + 1] = y;
                canvas[i + 2] = y;
            }
        }
        return new Labelled(name, Origin.GENERATED_SCENE, bytes(w, h, canvas), List.copyOf(faces), List.of(), true);
    }

    /**
     * Dark lenses drawn over the eyes of a head patch whose face box starts at (fx, fy) and is fw wide: eyes sit at
     * 29 % and 73 % of the box's width and 19 % of its height in both labelled photos (measured by hand).
     */
    private static RgbImage sunglasses(RgbImage patch, double fx, double fy, double fw) {
        byte[] p = patch.pixels().clone();
        double r = 0.15 * fw;
        double[] xs = {fx + 0.29 * fw, fx + 0.73 * fw};
        double cy = fy + 0.19 * fw * 0.95;
        for (int y = 0; y < patch.height(); y++) {
            for (int x = 0; x < patch.width(); x++) {
                boolean lens = false;
                for (double cx : xs) {
                    double dx = (x - cx) / r;
                    double dy = (y - cy) / (0.75 * r);
                    lens |= dx * dx + dy * dy <= 1;
                }
                boolean bridge = x > xs[0] && x < xs[1] && Math.abs(y - cy + 0.3 * r) < Math.max(1, 0.08 * r);
                if (lens || bridge) {
                    for (int c = 0; c < 3; c++) {
                        p[(y * patch.width() + x) * 3 + c] = (byte) (lens ? 22 + c * 4 : 40);
                    }
                }
            }
        }
        return new RgbImage(patch.width(), patch.height(), p);
    }

    private static void paste(float[] canvas, int w, int h, RgbImage patch, int x0, int y0, boolean mirror) {
        double cx = patch.width() / 2.0;
        double cy = patch.height() / 2.0;
        for (int y = 0; y < patch.height(); y++) {
            for (int x = 0; x < patch.width(); x++) {
                double dx = (x + 0.5 - cx) / cx;
                double dy = (y + 0.5 - cy) / cy;
                double r = Math.sqrt(dx * dx + dy * dy);
                double alpha = Math.max(0, Math.min(1, (1.0 - r) / 0.15));
                int tx = x0 + x;
                int ty = y0 + y;
                if (alpha <= 0 || tx < 0 || ty < 0 || tx >= w || ty >= h) {
                    continue;
                }
                int sx = mirror ? patch.width() - 1 - x : x;
                for (int c = 0; c < 3; c++) {
                    int i = (ty * w + tx) * 3 + c;
                    canvas[i] = (float) (canvas[i] * (1 - alpha) + patch.value(sx, y, c) * alpha);
                }
            }
        }
    }

    /** The image turned by {@code degrees} about (cx, cy), bilinear, mid-grey outside. */
    static RgbImage rotate(RgbImage src, double degrees, double cx, double cy) {
        double a = Math.toRadians(degrees);
        double c = Math.cos(a);
        double s = Math.sin(a);
        float[] out = new float[src.pixels().length];
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < src.width(); x++) {
                double sx = c * (x - cx) + s * (y - cy) + cx;
                double sy = -s * (x - cx) + c * (y - cy) + cy;
                int ix = (int) Math.floor(sx);
                int iy = (int) Math.floor(sy);
                double fx = sx - ix;
                double fy = sy - iy;
                boolean inside = ix >= 0 && iy >= 0 && ix + 1 < src.width() && iy + 1 < src.height();
                for (int ch = 0; ch < 3; ch++) {
                    out[(y * src.width() + x) * 3 + ch] = inside ? (float) ((1 - fx) * (1 - fy) * src.value(ix, iy, ch)
                            + fx * (1 - fy) * src.value(ix + 1, iy, ch) + (1 - fx) * fy * src.value(ix, iy + 1, ch)
                            + fx * fy * src.value(ix + 1, iy + 1, ch)) : 128f;
                }
            }
        }
        return bytes(src.width(), src.height(), out);
    }

    /** A woven check: two crossing sets of coloured bands with a thread-level weave and noise. */
    static RgbImage tartan(int w, int h, long seed) {
        Random random = new Random(seed);
        float[][] palette = {{150, 30, 40}, {30, 60, 40}, {20, 30, 90}, {200, 180, 90}, {240, 240, 230}};
        int[] bands = new int[64];
        for (int i = 0; i < bands.length; i++) {
            bands[i] = random.nextInt(palette.length);
        }
        float[] out = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean warp = ((x / 2 + y / 2) % 4) < 2;
                float[] colour = palette[bands[((warp ? x : y) / 9) % bands.length]];
                float shade = (float) (0.85 + 0.15 * Math.sin((warp ? y : x) * Math.PI / 2) + random.nextGaussian()
                        * 0.05);
                for (int c = 0; c < 3; c++) {
                    out[(y * w + x) * 3 + c] = colour[c] * shade;
                }
            }
        }
        return bytes(w, h, out);
    }

    /** A knitted look: rows of V-shaped stitches with shading, in one wool colour, with noise. */
    static RgbImage knit(int w, int h, long seed) {
        Random random = new Random(seed);
        float[] wool = {190, 150, 110};
        float[] out = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x % 12) / 12.0;
                double v = ((y + (int) (Math.abs(u - 0.5) * 10)) % 10) / 10.0;
                double shade = 0.55 + 0.45 * Math.sin(v * Math.PI) * (0.7 + 0.3 * Math.cos((u - 0.5) * Math.PI))
                        + random.nextGaussian() * 0.06;
                for (int c = 0; c < 3; c++) {
                    out[(y * w + x) * 3 + c] = (float) (wool[c] * shade);
                }
            }
        }
        return bytes(w, h, out);
    }

    private static float[] floats(RgbImage image) {
        float[] values = new float[image.pixels().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = image.pixels()[i] & 0xFF;
        }
        return values;
    }

    private static RgbImage bytes(int w, int h, float[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(255, Math.round(values[i])));
        }
        return new RgbImage(w, h, b);
    }

    static String describe(FaceBox b) {
        return String.format(Locale.ROOT, "(%d,%d,%d,%d)", b.top(), b.right(), b.bottom(), b.left());
    }
}
