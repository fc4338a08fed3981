package io.img2rec.core.weights;

import io.img2rec.core.model.Backbone;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether and how ImageNet weight files are downloaded on first use, and how files in the cache are verified.
 * These are execution settings of a machine (a mirror, a proxy's timeouts), not part of a config's identity, so
 * they are read from system properties at a program's entry point ({@link #fromSystemProperties()}) and passed in.
 *
 * @param enabled         whether a missing (or wrong) Keras file is downloaded; off, the cache is only checked
 * @param mirror          a base address (a mirror, an internal artefact store) holding the files by name,
 *                        {@code <mirror>/<file name>}; {@code null}: each file's official address
 * @param connectTimeout  how long to wait for a connection
 * @param readTimeout     how long a connection may give no data before the attempt fails
 * @param attempts        tries per file (at least 1); each later try resumes what the earlier ones got
 * @param firstBackoff    the wait before the second try; it doubles for each further try, up to {@link #MAX_BACKOFF}
 * @param sha256          SHA-256 per backbone that replaces the published MD5 as the file's check (a mirror with a
 *                        re-packed file, a test's generated file); Keras publishes no SHA-256
 * @param consoleProgress a console progress bar (when the optional progressbar library is present) instead of log
 *                        lines
 */
public record WeightsDownload(boolean enabled, URI mirror, Duration connectTimeout, Duration readTimeout,
                              int attempts, Duration firstBackoff, Map<Backbone, String> sha256,
                              boolean consoleProgress) {

    /** The longest wait between two tries. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** {@code true} (default) or {@code false}: download missing ImageNet files. */
    public static final String DOWNLOAD_PROPERTY = "img2rec.weights.download";
    /** Base address of a mirror holding the files by name: {@code <base>/<file name>}. */
    public static final String BASE_URL_PROPERTY = "img2rec.weights.base_url";
    /** Seconds to wait for a connection (default 30). */
    public static final String CONNECT_TIMEOUT_PROPERTY = "img2rec.weights.connect_timeout_seconds";
    /** Seconds a connection may stay silent (default 60). */
    public static final String READ_TIMEOUT_PROPERTY = "img2rec.weights.read_timeout_seconds";
    /** Tries per file (default 4). */
    public static final String ATTEMPTS_PROPERTY = "img2rec.weights.attempts";
    /** Prefix of the SHA-256 overrides: {@code img2rec.weights.sha256.vgg16}, {@code img2rec.weights.sha256.resnet50}. */
    public static final String SHA256_PROPERTY_PREFIX = "img2rec.weights.sha256.";
    /** Set to {@code true} to keep progress in the log even on a terminal (shared with training's progress). */
    public static final String NO_PROGRESS_BAR_PROPERTY = "img2rec.noProgressBar";

    public WeightsDownload {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(sha256, "sha256");
        if (mirror != null) {
            String scheme = mirror.getScheme() == null ? "" : mirror.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || mirror.getHost() == null) {
                throw new IllegalArgumentException("weights base URL '" + mirror + "' is not an http(s) address with "
                        + "a host, e.g. https://artifacts.example.com/keras-weights/");
            }
            if (!mirror.getPath().endsWith("/")) {
                mirror = URI.create(mirror + "/");
            }
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("weights download timeouts must be positive, got connect "
                    + connectTimeout + ", read " + readTimeout);
        }
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException("weights download attempts must be 1 to 100, got " + attempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("weights download back-off must not be negative, got " + firstBackoff);
        }
        EnumMap<Backbone, String> copy = new EnumMap<>(Backbone.class);
        sha256.forEach((backbone, hex) -> copy.put(backbone, ExpectedChecksum.sha256(hex).sha256()));
        sha256 = Map.copyOf(copy);
    }

    /** Downloads on, from the official addresses: 30 s to connect, 60 s of silence, 4 tries from 1 s apart, log lines. */
    public static WeightsDownload defaults() {
        return new WeightsDownload(true, null, Duration.ofSeconds(30), Duration.ofSeconds(60), 4,
                Duration.ofSeconds(1), Map.of(), false);
    }

    /** No downloads: files in the cache are checked, missing ones reported. */
    public static WeightsDownload disabled() {
        return defaults().withEnabled(false);
    }

    /**
     * The settings named by the {@code img2rec.weights.*} system properties, the defaults otherwise; a console bar
     * when a terminal is attached and {@code -Dimg2rec.noProgressBar} is not set. Call at a program's entry point.
     *
     * @throws IllegalArgumentException a property with a value that is not allowed (the message names it)
     */
    public static WeightsDownload fromSystemProperties() {
        WeightsDownload d = defaults();
        String enabled = System.getProperty(DOWNLOAD_PROPERTY);
        if (enabled != null) {
            String v = enabled.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("-D" + DOWNLOAD_PROPERTY + "=" + enabled + " is not allowed: "
                        + "true or false");
            }
            d = d.withEnabled(v.equals("true"));
        }
        String base = System.getProperty(BASE_URL_PROPERTY);
        if (base != null) {
            try {
                d = d.withMirror(URI.create(base.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + BASE_URL_PROPERTY + "=" + base + " is not allowed: "
                        + e.getMessage(), e);
            }
        }
        d = d.withTimeouts(seconds(CONNECT_TIMEOUT_PROPERTY, d.connectTimeout()),
                seconds(READ_TIMEOUT_PROPERTY, d.readTimeout()));
        String attempts = System.getProperty(ATTEMPTS_PROPERTY);
        if (attempts != null) {
            d = d.withRetries((int) whole(ATTEMPTS_PROPERTY, attempts, 1, 100), d.firstBackoff());
        }
        for (Backbone backbone : Backbone.values()) {
            String property = SHA256_PROPERTY_PREFIX + backbone.configName();
            String hex = System.getProperty(property);
            if (hex != null) {
                try {
                    d = d.withSha256(backbone, hex);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("-D" + property + "=" + hex + " is not allowed: "
                            + e.getMessage(), e);
                }
            }
        }
        return d.withConsoleProgress(System.console() != null && !Boolean.getBoolean(NO_PROGRESS_BAR_PROPERTY));
    }

    public WeightsDownload withEnabled(boolean on) {
        return new WeightsDownload(on, mirror, connectTimeout, readTimeout, attempts, firstBackoff, sha256,
                consoleProgress);
    }

    /** A mirror or an internal artefact store holding the files by name; {@code null}: the official addresses. */
    public WeightsDownload withMirror(URI url) {
        return new WeightsDownload(enabled, url, connectTimeout, readTimeout, attempts, firstBackoff, sha256,
                consoleProgress);
    }

    public WeightsDownload withTimeouts(Duration connect, Duration read) {
        return new WeightsDownload(enabled, mirror, connect, read, attempts, firstBackoff, sha256, consoleProgress);
    }

    public WeightsDownload withRetries(int tries, Duration backoff) {
        return new WeightsDownload(enabled, mirror, connectTimeout, readTimeout, tries, backoff, sha256,
                consoleProgress);
    }

    /** The SHA-256 that {@code backbone}'s Keras file must have, in place of the published MD5. */
    public WeightsDownload withSha256(Backbone backbone, String hex) {
        EnumMap<Backbone, String> copy = new EnumMap<>(Backbone.class);
        copy.putAll(sha256);
        copy.put(Objects.requireNonNull(backbone, "backbone"), ExpectedChecksum.sha256(hex).sha256());
        return new WeightsDownload(enabled, mirror, connectTimeout, readTimeout, attempts, firstBackoff, copy,
                consoleProgress);
    }

    public WeightsDownload withConsoleProgress(boolean console) {
        return new WeightsDownload(enabled, mirror, connectTimeout, readTimeout, attempts, firstBackoff, sha256,
                console);
    }

    /** @return the configured SHA-256 of {@code backbone}'s file, if any */
    public Optional<String> sha256Of(Backbone backbone) {
        return Optional.ofNullable(sha256.get(backbone));
    }

    /** @return the wait before try {@code attempt} (2 and up): the first back-off doubled per try, capped */
    Duration backoffBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        long millis = firstBackoff.toMillis();
        for (int i = 2; i < attempt && millis < MAX_BACKOFF.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /** @return the waits before every try after try {@code attempt}, summed (zero after the last try) */
    Duration backoffAfter(int attempt) {
        Duration total = Duration.ZERO;
        for (int next = attempt + 1; next <= attempts; next++) {
            total = total.plus(backoffBefore(next));
        }
        return total;
    }

    private static Duration seconds(String property, Duration otherwise) {
        String value = System.getProperty(property);
        return value == null ? otherwise : Duration.ofSeconds(whole(property, value, 1, 3600));
    }

    private static long whole(String property, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + property + "=" + value + " is not allowed: a whole number from "
                + min + " to " + max);
    }
}
