package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * The one algorithm both stores use to add an image to a profile, inside the caller's transaction: make sure the
 * profile row exists (the PostgreSQL form also locks it), insert the image unless its SHA-256 is already there (then
 * roll back and answer "already counted"), insert its label rows, recompute the recommendation from all rows with
 * the serving rules and store it, read the state back, commit. What differs between the databases — the two
 * insert-if-absent statements, how a time and a boolean are bound, how a state is read — is the {@link Dialect}.
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

        Optional<ProfileState> read(Connection c, String profile) throws SQLException;
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
            ProfileState unchanged = dialect.read(c, profile).orElseThrow();
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
        Recommendation r = dialect.read(c, profile).orElseThrow().recommendation();
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
        ProfileState after = dialect.read(c, profile).orElseThrow(); // inside the transaction: this add's own state
        c.commit();
        return new ProfileStore.Update(true, after);
    }
}
