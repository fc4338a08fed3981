package io.img2rec.spark;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The job's input: rows {@code (profile, image, name)} ({@link #SCHEMA}) from a table (CSV with a header, or
 * Parquet; columns {@code profile}, {@code image} and optionally {@code name}) or from a folder of profile folders
 * as the CLI takes it (each sub-folder a profile; the regular files directly inside it, by name, hidden ones left
 * out, as {@code Recommender.recommendProfile} lists them).
 *
 * <p>{@code image} is a path or URI on any Hadoop file system (local paths, {@code file:}, {@code hdfs://},
 * {@code s3a://}); {@code name} is what results report and what ties are broken on (default: the file name).
 */
public final class ImageInputs {
    /** The input rows' schema. */
    public static final StructType SCHEMA = new StructType()
            .add(ImageRows.PROFILE, DataTypes.StringType, false)
            .add(ImageRows.IMAGE, DataTypes.StringType, false)
            .add(ImageRows.NAME, DataTypes.StringType, false);

    /** How the input is given. */
    public enum Format {
        CSV, PARQUET, FOLDERS;

        static Format of(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown input format '" + value + "'; known: "
                        + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList(), e);
            }
        }
    }

    private ImageInputs() {
    }

    /** Reads the input in the given format (validating the columns of a table). */
    public static Dataset<Row> read(SparkSession spark, String location, Format format) {
        return switch (format) {
            case CSV -> table(spark.read().option("header", "true").csv(location), location);
            case PARQUET -> table(spark.read().parquet(location), location);
            case FOLDERS -> folders(spark, location);
        };
    }

    /** A table with {@code profile} and {@code image} columns (and optionally {@code name}) as input rows. */
    public static Dataset<Row> table(Dataset<Row> table, String location) {
        List<String> columns = Arrays.asList(table.columns());
        for (String required : List.of(ImageRows.PROFILE, ImageRows.IMAGE)) {
            if (!columns.contains(required)) {
                throw new IllegalArgumentException("input table " + location + " has no column '" + required
                        + "' (columns: " + columns + "; expected profile, image and optionally name)");
            }
        }
        var profile = functions.col(ImageRows.PROFILE).cast(DataTypes.StringType);
        var image = functions.col(ImageRows.IMAGE).cast(DataTypes.StringType);
        // the file name: what follows the last '/', as recommendProfile reports a folder's files
        var fileName = functions.regexp_extract(image, "([^/]*)$", 1);
        var name = columns.contains(ImageRows.NAME)
                ? functions.coalesce(functions.col(ImageRows.NAME).cast(DataTypes.StringType), fileName)
                : fileName;
        Dataset<Row> rows = table.where(functions.col(ImageRows.PROFILE).isNotNull()
                        .and(functions.col(ImageRows.IMAGE).isNotNull()))
                .select(profile.as(ImageRows.PROFILE), image.as(ImageRows.IMAGE), name.as(ImageRows.NAME));
        return rows.sparkSession().createDataFrame(rows.rdd(), SCHEMA);
    }

    /**
     * A folder of profile folders, listed on the driver (local folders with java.nio, as recommendProfiles does;
     * other file systems through Hadoop).
     *
     * @throws IllegalArgumentException when the folder does not exist or is not a folder
     */
    public static Dataset<Row> folders(SparkSession spark, String location) {
        List<Row> rows = ImageFetcher.isRemote(location) ? listRemote(spark, location) : listLocal(location);
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static List<Row> listLocal(String location) {
        Path root = ImageFetcher.localPath(location).toAbsolutePath();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("input folder " + root + " does not exist or is not a folder "
                    + "(expected a folder whose sub-folders are profiles)");
        }
        List<Row> rows = new ArrayList<>();
        for (Path profile : listSorted(root)) {
            if (!Files.isDirectory(profile, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (Path file : listSorted(profile)) {
                if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    rows.add(RowFactory.create(profile.getFileName().toString(), file.toString(),
                            file.getFileName().toString()));
                }
            }
        }
        return rows;
    }

    private static List<Path> listSorted(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static List<Row> listRemote(SparkSession spark, String location) {
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(URI.create(location));
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new IllegalArgumentException("input " + location + " is not a folder (expected a folder "
                        + "whose sub-folders are profiles)");
            }
            List<Row> rows = new ArrayList<>();
            for (FileStatus profile : sorted(fs.listStatus(root))) {
                if (!profile.isDirectory() || profile.getPath().getName().startsWith(".")) {
                    continue;
                }
                for (FileStatus file : sorted(fs.listStatus(profile.getPath()))) {
                    if (!file.isDirectory() && !file.getPath().getName().startsWith(".")) {
                        rows.add(RowFactory.create(profile.getPath().getName(), file.getPath().toString(),
                                file.getPath().getName()));
                    }
                }
            }
            return rows;
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("input folder " + location + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the input folder " + location, e);
        }
    }

    private static List<FileStatus> sorted(FileStatus[] statuses) {
        return Arrays.stream(statuses).sorted(Comparator.comparing(s -> s.getPath().getName())).toList();
    }
}
