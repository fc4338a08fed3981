package io.img2rec.serve.http;

import java.time.Duration;

/**
 * How long the JDK HTTP server lets one request take to arrive (request line, headers and body: a client that sends
 * slowly, or stops, is cut off) and one response take to be written. The JDK server reads these from the system
 * properties {@value #REQUEST_PROPERTY} and {@value #RESPONSE_PROPERTY} (seconds) <em>once per JVM</em>, when its
 * first server starts; without them it waits for ever, and each stalled client holds a handler thread. Call
 * {@link #applyDefaultsUnlessSet()} before the first {@link RecommendationServer} is created (the {@code serve}
 * command does); a value given on the command line ({@code -Dsun.net.httpserver.maxReqTime=30}) is kept.
 * {@code HttpTimeoutsTest} checks the effect in a JVM of its own.
 */
public final class HttpTimeouts {
    public static final String REQUEST_PROPERTY = "sun.net.httpserver.maxReqTime";
    public static final String RESPONSE_PROPERTY = "sun.net.httpserver.maxRspTime";
    public static final Duration DEFAULT_REQUEST = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(120);

    private HttpTimeouts() {
    }

    /** Sets the defaults for whichever of the two properties is not set yet. */
    public static void applyDefaultsUnlessSet() {
        setUnlessSet(REQUEST_PROPERTY, DEFAULT_REQUEST);
        setUnlessSet(RESPONSE_PROPERTY, DEFAULT_RESPONSE);
    }

    /** @return the request limit this JVM's server will use, as the property says now; zero when there is none */
    public static Duration request() {
        return current(REQUEST_PROPERTY);
    }

    /** @return the response limit this JVM's server will use, as the property says now; zero when there is none */
    public static Duration response() {
        return current(RESPONSE_PROPERTY);
    }

    private static void setUnlessSet(String key, Duration value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, Long.toString(value.toSeconds()));
        }
    }

    private static Duration current(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            return Duration.ZERO;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? Duration.ZERO : Duration.ofSeconds(seconds); // the JDK's -1: no limit
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + " = '" + value + "' is not allowed: a whole number of "
                    + "seconds, e.g. -D" + key + "=60", e);
        }
    }
}
