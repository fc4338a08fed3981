package io.img2rec.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One timed case: the seconds of each timed repetition and how many images one repetition handles.
 *
 * @param suite   {@code forward}, {@code train_step}, {@code recipe}, {@code serve}, {@code memory}, {@code check}
 * @param name    the case, e.g. {@code forward/vgg16/b16}
 * @param variant how it ran, e.g. {@code NHWC helpers} or {@code NCHW no-helpers}
 * @param images  images per repetition (0 where throughput means nothing, e.g. memory)
 * @param seconds seconds of each timed repetition
 * @param extra   anything else worth reporting (shapes, differences, bytes), JSON-friendly values only
 */
public record Measurement(String suite, String name, String variant, int images, double[] seconds,
                          Map<String, Object> extra) {

    public Measurement {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
        seconds = seconds.clone();
        extra = new LinkedHashMap<>(extra);
    }

    public static Measurement timed(String suite, String name, String variant, int images, double[] seconds) {
        return new Measurement(suite, name, variant, images, seconds, Map.of());
    }

    public Measurement with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new Measurement(suite, name, variant, images, seconds, more);
    }

    /** @return the median of the timed repetitions, NaN when there are none */
    public double medianSeconds() {
        if (seconds.length == 0) {
            return Double.NaN;
        }
        double[] s = seconds.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** @return images per second at the median, NaN without images or timings */
    public double imagesPerSecond() {
        double m = medianSeconds();
        return images > 0 && m > 0 ? images / m : Double.NaN;
    }

    /** @return the record as the JSON object {@code bench/report.py} reads */
    public Map<String, Object> toJson(String side) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("side", side);
        json.put("suite", suite);
        json.put("name", name);
        json.put("variant", variant);
        json.put("images", images);
        json.put("seconds", Arrays.stream(seconds).boxed().toList());
        json.put("median_s", finiteOrNull(medianSeconds()));
        json.put("img_per_s", finiteOrNull(imagesPerSecond()));
        json.put("extra", extra);
        return json;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    public List<Double> secondsList() {
        return Arrays.stream(seconds).boxed().toList();
    }
}
