package io.img2rec.spark;

import io.img2rec.serve.rules.LabelTally;
import io.img2rec.serve.rules.ProfileResult;
import io.img2rec.serve.rules.Recommendation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-profile output table: its schema (one owner) and the conversion of the serving rules'
 * {@link ProfileResult} to a row.
 *
 * <pre>
 * profile, images, images_analysed, images_no_face, images_failed,
 * tallies[ {label, positive_images, share, best_score, best_image} ],
 * product (null: nothing detected), message, chosen_image (reported name), chosen_image_path (as given), score, share
 * </pre>
 */
public final class ProfileRows {
    private static final StructType TALLY = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("positive_images", DataTypes.IntegerType, false)
            .add("share", DataTypes.DoubleType, false)
            .add("best_score", DataTypes.DoubleType, true)
            .add("best_image", DataTypes.StringType, true);

    /** The per-profile table's schema. */
    public static final StructType SCHEMA = new StructType()
            .add("profile", DataTypes.StringType, false)
            .add("images", DataTypes.IntegerType, false)
            .add("images_analysed", DataTypes.IntegerType, false)
            .add("images_no_face", DataTypes.IntegerType, false)
            .add("images_failed", DataTypes.IntegerType, false)
            .add("tallies", DataTypes.createArrayType(TALLY, false), false)
            .add("product", DataTypes.StringType, true)
            .add("message", DataTypes.StringType, false)
            .add("chosen_image", DataTypes.StringType, true)
            .add("chosen_image_path", DataTypes.StringType, true)
            .add("score", DataTypes.DoubleType, true)
            .add("share", DataTypes.DoubleType, true);

    private ProfileRows() {
    }

    /** A profile's row; {@code pathsByName} turns the chosen image's reported name back into its path. */
    public static Row toRow(ProfileResult p, Map<String, String> pathsByName) {
        List<Row> tallies = new ArrayList<>();
        for (LabelTally t : p.tallies()) {
            tallies.add(RowFactory.create(t.label(), t.positiveImages(), t.share(), t.bestScore(), t.bestImage()));
        }
        Recommendation r = p.recommendation();
        return RowFactory.create(p.profile(), p.images(), p.imagesAnalysed(), p.imagesNoFace(), p.imagesFailed(),
                SparkValues.seq(tallies), r.product(), r.message(), r.image(),
                r.image() == null ? null : pathsByName.get(r.image()), r.score(), r.share());
    }

    /** The tallies of a row, as the rules' records (tests compare them with the single-machine ones). */
    public static List<LabelTally> tallies(Row row) {
        List<LabelTally> out = new ArrayList<>();
        for (Row t : row.<Row>getList(row.fieldIndex("tallies"))) {
            out.add(new LabelTally(t.getString(0), t.getInt(1), t.getDouble(2), t.isNullAt(3) ? null : t.getDouble(3),
                    t.getString(4)));
        }
        return out;
    }

    /** The recommendation of a row, as the rules' record. */
    public static Recommendation recommendation(Row row) {
        return new Recommendation(row.getAs("product"), row.getAs("message"), row.getAs("chosen_image"),
                row.getAs("score"), row.getAs("share"));
    }
}
