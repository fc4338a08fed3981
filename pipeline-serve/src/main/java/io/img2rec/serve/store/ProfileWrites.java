package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one algorithm both stores use to add an image to a profile, inside the caller's transaction: make sure the
 * profile row exists (the PostgreSQL form also locks it), insert the image unless its SHA-256 is already there (then
 * roll back and answer "already counted"), insert its label rows, recompute the recommendation from all rows with
 * the serving rules and store it, read the state back, commit; and the one way a profile's state is read back.
 * What differs between the databases — the two insert-if-absent statements, how a time and a boolean are bound and
 * a time read, the two aggregate queries — is the {@link Dialect}.
 */
final class ProfileWrites {
    /** The parts of the SQL that differ between SQLite and PostgreSQL. */
    interface Dialect {
        /** Parameters: id, created_at, updated_at, message. */
        String insertProfileIfAbsent();

        /** Parameters: profile, sha256, name, status, added_at; updates 0 rows when the image is there already. */
        String insertImageIfAbsent();

        void bindTime(PreparedStatement p, int index, Instant time) throws SQLException;

        void bindPositive(PreparedStatement p, int index, boolean positive) throws SQLException;

        /** A time column as ISO-8601 text, as {@link ProfileState} carries it. */
        String readTime(ResultSet rs, int column) throws SQLException;

        /** Columns: images seen, images analysed, of the profile (one parameter, the profile id). */
        String countImages();

        /**
         * Columns: label, positives, best positive score (null when none), that image's name; a row per label in
         * code-point order, the best image's ties broken by name in code-point order.
         */
        String labelRows();

        /** How many parameters of {@link #labelRows()} the profile id binds (1, 2, …). */
        int labelRowsProfileParameters();
    }

    private ProfileWrites() {
    }

    /** Refuses what cannot be stored (an error result, or one without a SHA-256). */
    static void requireStorable(ImageResult image) {
        if (image.status() == ImageStatus.ERROR || image.sha256() == null) {
            throw new IllegalArgumentException("only decoded images can be stored; " + image.name() + " is "
                    + image.status() + (image.error() == null ? "" : ": " + image.error()));
        }
    }

    /** Adds {@code image} to {@code profile} and commits, or rolls back when the image was counted before. */
    static ProfileStore.Update add(Connection c, Dialect dialect, String profile, ImageResult image)
            throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement p = c.prepareStatement(dialect.insertProfileIfAbsent())) {
            p.setString(1, profile);
            dialect.bindTime(p, 2, now);
            dialect.bindTime(p, 3, now);
            p.setString(4, Recommendation.NOTHING);
            p.executeUpdate();
        }
        int inserted;
        try (PreparedStatement p = c.prepareStatement(dialect.insertImageIfAbsent())) {
            p.setString(1, profile);
            p.setString(2, image.sha256());
            p.setString(3, image.name());
            p.setString(4, image.status().name());
            dialect.bindTime(p, 5, now);
            inserted = p.executeUpdate();
        }
        if (inserted == 0) {
            // read, then end the transaction: a read left open would pin an old snapshot (and, on SQLite, make the
            // next write on this connection fail with SQLITE_BUSY once another connection had written)
            ProfileState unchanged = read(c, dialect, profile).orElseThrow();
            c.rollback();
            return new ProfileStore.Update(false, unchanged);
        }
        if (image.status() == ImageStatus.ANALYSED && !image.labelScores().isEmpty()) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO profile_image_label (profile, sha256, label, "
                    + "score, positive) VALUES (?, ?, ?, ?, ?)")) {
                for (var entry : image.labelScores().entrySet()) {
                    p.setString(1, profile);
                    p.setString(2, image.sha256());
                    p.setString(3, entry.getKey());
                    p.setDouble(4, entry.getValue());
                    dialect.bindPositive(p, 5, image.positives().contains(entry.getKey()));
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
        Recommendation r = read(c, dialect, profile).orElseThrow().recommendation();
        try (PreparedStatement p = c.prepareStatement("UPDATE profile SET updated_at = ?, product = ?, message = ?, "
                + "image = ?, score = ?, share = ? WHERE id = ?")) {
            dialect.bindTime(p, 1, now);
            p.setString(2, r.product());
            p.setString(3, r.message());
            p.setString(4, r.image());
            p.setObject(5, r.score(), Types.DOUBLE);
            p.setObject(6, r.share(), Types.DOUBLE);
            p.setString(7, profile);
            p.executeUpdate();
        }
        ProfileState after = read(c, dialect, profile).orElseThrow(); // inside the transaction: this add's own state
        c.commit();
        return new ProfileStore.Update(true, after);
    }

    /** The profile's state as stored, inside the caller's transaction; empty when the profile has no row. */
    static Optional<ProfileState> read(Connection c, Dialect dialect, String profile) throws SQLException {
        String updatedAt;
        try (PreparedStatement p = c.prepareStatement("SELECT updated_at FROM profile WHERE id = ?")) {
            p.setString(1, profile);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                updatedAt = dialect.readTime(rs, 1);
            }
        }
        int seen;
        int analysed;
        try (PreparedStatement p = c.prepareStatement(dialect.countImages())) {
            p.setString(1, profile);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                seen = rs.getInt(1);
                analysed = rs.getInt(2);
            }
        }
        List<StoredTallies.LabelRow> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(dialect.labelRows())) {
            for (int i = 1; i <= dialect.labelRowsProfileParameters(); i++) {
                p.setString(i, profile);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int positives = rs.getInt(2);
                    double best = rs.getDouble(3);
                    Double bestScore = rs.wasNull() ? null : best;
                    rows.add(new StoredTallies.LabelRow(rs.getString(1), positives, bestScore, rs.getString(4)));
                }
            }
        }
        return Optional.of(StoredTallies.state(profile, seen, analysed, rows, updatedAt));
    }
}
