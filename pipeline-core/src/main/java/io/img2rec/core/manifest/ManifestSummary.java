package io.img2rec.core.manifest;

import io.img2rec.core.io.AtomicFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tables describing a manifest and its rejects: images per label and split, label co-occurrence, class balance per
 * split, image sizes and rejects by reason. Pure data; {@link #print} and {@link #saveCsv} render it.
 *
 * @param imagesPerLabel columns {@code label, images, train, validation, test, unassigned}
 * @param coOccurrence   {@code label} then one column per label: images carrying both labels (diagonal = per label)
 * @param classBalance   {@code split, label, images, positives, negatives, positiveRate}; split {@code all} covers every entry
 * @param sizeStats      {@code measure} (width, height, shorterSide) with {@code min, median, max}
 * @param sizeBins       {@code shorterSide} bin ({@code <150, 150-299, 300-599, >=600}) with {@code images}
 * @param rejectsByReason {@code reason, files} for every reason (zero rows included)
 */
public record ManifestSummary(Table imagesPerLabel, Table coOccurrence, Table classBalance, Table sizeStats,
                              Table sizeBins, Table rejectsByReason) {

    /** Shorter-side bins: lower bounds and names. */
    private static final int[] BIN_LOWER = {0, 150, 300, 600};
    private static final String[] BIN_NAMES = {"<150", "150-299", "300-599", ">=600"};
    private static final Split[] SPLITS = {Split.TRAIN, Split.VALIDATION, Split.TEST, Split.UNASSIGNED};

    public static ManifestSummary of(Manifest manifest, List<Rejected> rejected) {
        return new ManifestSummary(imagesPerLabel(manifest), coOccurrence(manifest), classBalance(manifest),
                sizeStats(manifest), sizeBins(manifest), rejectsByReason(rejected));
    }

    /** The tables by file name stem, in a fixed order. */
    public Map<String, Table> tables() {
        Map<String, Table> tables = new LinkedHashMap<>();
        tables.put("images-per-label", imagesPerLabel);
        tables.put("label-co-occurrence", coOccurrence);
        tables.put("class-balance", classBalance);
        tables.put("image-size-stats", sizeStats);
        tables.put("image-size-bins", sizeBins);
        tables.put("rejects-by-reason", rejectsByReason);
        return tables;
    }

    /** Prints every table with Tablesaw's text layout. */
    public void print(PrintStream out) {
        for (Table table : tables().values()) {
            out.println(table.print(Integer.MAX_VALUE));
            out.println();
        }
    }

    /** Saves each table as {@code <name>.csv} in {@code folder} (atomic writes); returns the files written. */
    public List<Path> saveCsv(Path folder) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Table> entry : tables().entrySet()) {
            StringWriter text = new StringWriter();
            entry.getValue().write().csv(text);
            Path file = folder.resolve(entry.getKey() + ".csv");
            AtomicFiles.writeString(file, text.toString());
            written.add(file);
        }
        return written;
    }

    private static Table imagesPerLabel(Manifest manifest) {
        StringColumn label = StringColumn.create("label");
        IntColumn images = IntColumn.create("images");
        List<IntColumn> perSplit = new ArrayList<>();
        for (Split split : SPLITS) {
            perSplit.add(IntColumn.create(split.code()));
        }
        List<String> rows = new ArrayList<>(manifest.labels());
        rows.add("(none)");
        for (String name : rows) {
            boolean none = name.equals("(none)");
            label.append(name);
            images.append((int) manifest.entries().stream().filter(e -> matches(e, name, none)).count());
            for (int s = 0; s < SPLITS.length; s++) {
                Split split = SPLITS[s];
                perSplit.get(s).append((int) manifest.entries().stream()
                        .filter(e -> e.split() == split && matches(e, name, none)).count());
            }
        }
        Table table = Table.create("Images per label", label, images);
        perSplit.forEach(table::addColumns);
        return table;
    }

    private static boolean matches(ManifestEntry entry, String label, boolean none) {
        return none ? entry.labels().isEmpty() : entry.hasLabel(label);
    }

    private static Table coOccurrence(Manifest manifest) {
        List<String> labels = manifest.labels();
        Table table = Table.create("Label co-occurrence", StringColumn.create("label", labels));
        for (String column : labels) {
            IntColumn counts = IntColumn.create(column);
            for (String row : labels) {
                counts.append((int) manifest.entries().stream().filter(e -> e.hasLabel(row) && e.hasLabel(column)).count());
            }
            table.addColumns(counts);
        }
        return table;
    }

    private static Table classBalance(Manifest manifest) {
        StringColumn split = StringColumn.create("split");
        StringColumn label = StringColumn.create("label");
        IntColumn images = IntColumn.create("images");
        IntColumn positives = IntColumn.create("positives");
        IntColumn negatives = IntColumn.create("negatives");
        DoubleColumn rate = DoubleColumn.create("positiveRate");
        List<String> splitNames = new ArrayList<>(List.of("all"));
        for (Split s : SPLITS) {
            splitNames.add(s.code());
        }
        for (String name : splitNames) {
            List<ManifestEntry> entries = name.equals("all") ? manifest.entries() : manifest.entries(Split.fromCode(name));
            if (entries.isEmpty() && !name.equals("all")) {
                continue;
            }
            for (String l : manifest.labels()) {
                int pos = (int) entries.stream().filter(e -> e.hasLabel(l)).count();
                split.append(name);
                label.append(l);
                images.append(entries.size());
                positives.append(pos);
                negatives.append(entries.size() - pos);
                rate.append(entries.isEmpty() ? Double.NaN : (double) pos / entries.size());
            }
        }
        return Table.create("Class balance per split", split, label, images, positives, negatives, rate);
    }

    private static Table sizeStats(Manifest manifest) {
        StringColumn measure = StringColumn.create("measure");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn median = DoubleColumn.create("median");
        DoubleColumn max = DoubleColumn.create("max");
        int n = manifest.size();
        int[][] values = new int[3][n];
        for (int i = 0; i < n; i++) {
            ManifestEntry e = manifest.entries().get(i);
            values[0][i] = e.width();
            values[1][i] = e.height();
            values[2][i] = Math.min(e.width(), e.height());
        }
        String[] names = {"width", "height", "shorterSide"};
        for (int m = 0; m < 3; m++) {
            int[] sorted = values[m].clone();
            Arrays.sort(sorted);
            measure.append(names[m]);
            if (n == 0) {
                min.append(Double.NaN);
                median.append(Double.NaN);
                max.append(Double.NaN);
            } else {
                min.append(sorted[0]);
                median.append(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0);
                max.append(sorted[n - 1]);
            }
        }
        return Table.create("Image size (pixels)", measure, min, median, max);
    }

    private static Table sizeBins(Manifest manifest) {
        int[] counts = new int[BIN_LOWER.length];
        for (ManifestEntry e : manifest.entries()) {
            int side = Math.min(e.width(), e.height());
            int bin = BIN_LOWER.length - 1;
            while (side < BIN_LOWER[bin]) {
                bin--;
            }
            counts[bin]++;
        }
        return Table.create("Images by shorter side", StringColumn.create("shorterSide", BIN_NAMES),
                IntColumn.create("images", counts));
    }

    private static Table rejectsByReason(List<Rejected> rejected) {
        StringColumn reason = StringColumn.create("reason");
        IntColumn files = IntColumn.create("files");
        for (RejectReason r : RejectReason.values()) {
            reason.append(r.code());
            files.append((int) rejected.stream().filter(x -> x.reason() == r).count());
        }
        return Table.create("Rejected files by reason", reason, files);
    }
}
