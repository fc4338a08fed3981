package io.img2rec.eval.report;

import io.img2rec.core.metrics.BootstrapInterval;
import io.img2rec.core.metrics.MetricValue;

import java.util.Locale;

/** How numbers and text appear in the report: 4 decimals, undefined values as {@code N/A (reason)}, HTML-escaped. */
final class Format {

    private Format() {
    }

    static String number(MetricValue value) {
        if (!value.isDefined()) {
            return "N/A (" + value.undefinedReason().orElse("undefined") + ")";
        }
        return number(value.orElseThrow());
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "N/A (not a number)";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+∞" : "−∞";
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    static String seconds(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "N/A (not recorded)";
        }
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%.1f s (%dm %02ds)", seconds, s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    static String interval(BootstrapInterval interval) {
        if (!interval.isDefined()) {
            return number(interval.lower());
        }
        return "[" + number(interval.lower()) + ", " + number(interval.upper()) + "]";
    }

    static String percent(int part, int whole) {
        return whole == 0 ? "N/A (no images)" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static String html(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
