package io.img2rec.spark;

import io.img2rec.serve.face.CropBox;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.rules.FaceResult;
import io.img2rec.serve.rules.ImageErrorCode;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;
import io.img2rec.serve.rules.SkippedFace;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-image output table: its schema (one owner) and the conversion of a serving {@link ImageResult} to a row
 * and back to what the profile rules read. One row per (profile, image); the key that de-duplicates rows is
 * {@link #DEDUPE_KEY}: the image's SHA-256, or its path when the bytes could not be read.
 *
 * <pre>
 * profile, image (path/URI as given), name (reported name), sha256, status (analysed|no_face|error),
 * error_code (e.g. corrupt-image), error, error_id, width, height, whole_image,
 * faces[ {detected{top,right,bottom,left}, calibrated{...}, crop{left,top,width,height},
 *         model_scores{label → {architecture → score}}, scores{label → averaged}, positives[] } ],
 * skipped_faces[ {detected{...}, reason} ], label_scores{label → best averaged score}, positives[], best_face,
 * product, product_score
 * </pre>
 */
public final class ImageRows {
    /** Columns of the input rows and the first three of the output. */
    public static final String PROFILE = "profile";
    public static final String IMAGE = "image";
    public static final String NAME = "name";
    /** Column of the de-duplication key (not written: computed from sha256 and image). */
    public static final String DEDUPE_KEY = "dedupe_key";

    private static final StructType FACE_BOX = new StructType()
            .add("top", DataTypes.IntegerType, false).add("right", DataTypes.IntegerType, false)
            .add("bottom", DataTypes.IntegerType, false).add("left", DataTypes.IntegerType, false);
    private static final StructType CROP_BOX = new StructType()
            .add("left", DataTypes.IntegerType, false).add("top", DataTypes.IntegerType, false)
            .add("width", DataTypes.IntegerType, false).add("height", DataTypes.IntegerType, false);
    private static final MapType SCORES = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false);
    private static final ArrayType LABELS = DataTypes.createArrayType(DataTypes.StringType, false);
    private static final StructType FACE = new StructType()
            .add("detected", FACE_BOX, true)
            .add("calibrated", FACE_BOX, true)
            .add("crop", CROP_BOX, false)
            .add("model_scores", DataTypes.createMapType(DataTypes.StringType, SCORES, false), false)
            .add("scores", SCORES, false)
            .add("positives", LABELS, false);
    private static final StructType SKIPPED = new StructType()
            .add("detected", FACE_BOX, false).add("reason", DataTypes.StringType, false);

    /** The per-image table's schema. */
    public static final StructType SCHEMA = new StructType()
            .add(PROFILE, DataTypes.StringType, false)
            .add(IMAGE, DataTypes.StringType, false)
            .add(NAME, DataTypes.StringType, false)
            .add("sha256", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("error_code", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true)
            .add("error_id", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("whole_image", DataTypes.BooleanType, false)
            .add("faces", DataTypes.createArrayType(FACE, false), false)
            .add("skipped_faces", DataTypes.createArrayType(SKIPPED, false), false)
            .add("label_scores", SCORES, false)
            .add("positives", LABELS, false)
            .add("best_face", DataTypes.IntegerType, true)
            .add("product", DataTypes.StringType, true)
            .add("product_score", DataTypes.DoubleType, true);

    private ImageRows() {
    }

    /** Status as written: the enum's name in lower case ({@code analysed}, {@code no_face}, {@code error}). */
    public static String statusCode(ImageStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    static ImageStatus status(String code) {
        return ImageStatus.valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }

    /** One image's row. */
    public static Row toRow(String profile, String image, ImageResult r) {
        List<Row> faces = new ArrayList<>();
        for (FaceResult f : r.faces()) {
            Map<String, Object> modelScores = new TreeMap<>();
            f.modelScores().forEach((label, byArch) -> modelScores.put(label, SparkValues.map(new TreeMap<>(byArch))));
            faces.add(RowFactory.create(box(f.detected()), box(f.calibrated()), box(f.crop()),
                    SparkValues.map(modelScores), SparkValues.map(new TreeMap<>(f.scores())),
                    SparkValues.seq(f.positives())));
        }
        List<Row> skipped = new ArrayList<>();
        for (SkippedFace s : r.skippedFaces()) {
            skipped.add(RowFactory.create(box(s.detected()), s.reason()));
        }
        Recommendation rec = r.recommendation();
        // with its schema: the next stage reads columns by name before Spark has serialised the row
        return new GenericRowWithSchema(new Object[] {profile, image, r.name(), r.sha256(), statusCode(r.status()),
                r.errorCode() == null ? null : r.errorCode().code(), r.error(), r.errorId(), r.width(), r.height(),
                r.wholeImage(), SparkValues.seq(faces), SparkValues.seq(skipped),
                SparkValues.map(new TreeMap<>(r.labelScores())), SparkValues.seq(r.positives()), r.bestFace(),
                rec == null ? null : rec.product(), rec == null ? null : rec.score()}, SCHEMA);
    }

    private static Row box(FaceBox b) {
        return b == null ? null : RowFactory.create(b.top(), b.right(), b.bottom(), b.left());
    }

    private static Row box(CropBox b) {
        return RowFactory.create(b.left(), b.top(), b.width(), b.height());
    }

    /**
     * What the profile rules read back from a row: name, SHA-256, status, error code, label scores and positives
     * (faces are not rebuilt: {@code RecommendationRules.tally} does not look at them).
     */
    public static ImageResult forRules(Row row) {
        ImageStatus status = status(row.getAs("status"));
        String name = row.getAs(NAME);
        String sha = row.getAs("sha256");
        if (status == ImageStatus.ERROR) {
            ImageErrorCode code = ImageErrorCode.fromCode(row.getAs("error_code"));
            String error = row.getAs("error");
            return code == ImageErrorCode.ANALYSIS_FAILED
                    ? ImageResult.analysisFailed(name, sha, row.getAs("error_id"), error)
                    : ImageResult.error(name, sha, code, error);
        }
        Map<String, Double> scores = row.getJavaMap(row.fieldIndex("label_scores"));
        List<String> positives = row.getList(row.fieldIndex("positives"));
        return new ImageResult(name, sha, status, null, row.getAs("width"), row.getAs("height"),
                row.getAs("whole_image"), List.of(), List.of(), scores, positives, row.getAs("best_face"),
                Recommendation.nothing());
    }

    static DataType faceType() {
        return FACE;
    }
}
