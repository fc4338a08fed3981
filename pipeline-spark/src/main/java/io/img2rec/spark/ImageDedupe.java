package io.img2rec.spark;

import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule that makes a re-run job, a retried task or an image listed twice count once: within a profile, rows are
 * keyed by the image's SHA-256 (the same bytes under two names or paths are one image, as in the profile store), or
 * by the path when the bytes could not be read; of the rows with one key the first is kept in the order: scored
 * before failed, then name, then path. Applied to the per-image output and again before aggregating, so the
 * profile table is right even over an appended per-image table.
 */
public final class ImageDedupe {
    private static final Comparator<Row> PREFERENCE = Comparator
            .<Row>comparingInt(r -> "error".equals(r.getAs("status")) ? 1 : 0)
            .thenComparing(r -> r.<String>getAs(ImageRows.NAME))
            .thenComparing(r -> r.<String>getAs(ImageRows.IMAGE));

    private ImageDedupe() {
    }

    /** The key of a row: {@code sha256:<hex>}, or {@code path:<image>} when there is no hash. */
    public static String key(Row row) {
        String sha = row.getAs("sha256");
        return sha != null ? "sha256:" + sha : "path:" + row.getAs(ImageRows.IMAGE);
    }

    /** One profile's rows without duplicates, in preference order (scored first, then by name and path). */
    public static List<Row> keep(Iterable<Row> rowsOfOneProfile) {
        List<Row> all = new ArrayList<>();
        rowsOfOneProfile.forEach(all::add);
        all.sort(PREFERENCE);
        Map<String, Row> kept = new LinkedHashMap<>();
        for (Row row : all) {
            kept.putIfAbsent(key(row), row);
        }
        return new ArrayList<>(kept.values());
    }
}
