package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.LabelTally;
import io.img2rec.serve.rules.Recommendation;
import io.img2rec.serve.rules.RecommendationRules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Profiles in an embedded SQLite database file. An update — one image added to a profile — is one transaction: the
 * image row (primary key profile + SHA-256 of the bytes), its per-label score rows, and the profile row with the
 * recommendation recomputed from all stored rows. Either all of it is visible or none of it.
 *
 * <p>Why SQLite: a single file, no server, and its journal gives exactly the guarantees needed. With
 * {@code journal_mode=WAL} and {@code synchronous=FULL} a transaction is durable once {@code commit} returns (the WAL
 * is fsynced), and a process killed at any moment leaves the database at its last commit: no partial update is ever
 * visible. Counts are not stored as counters but derived from the image rows, so a count can neither be lost nor
 * doubled; the same image (same SHA-256) sent twice to a profile is counted once (the second insert is ignored).
 *
 * <p>Thread safety: one connection, used under a lock; every method may be called from any thread. Only one process
 * should write a given file (SQLite's own locking makes a second one wait, up to the busy timeout).
 */
public final class ProfileStore implements AutoCloseable {
    /** Profile ids: 1–64 letters, digits, '.', '_' or '-', not starting with '.'. */
    public static final Pattern PROFILE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    private final Connection connection;
    private final String where;
    private final ReentrantLock lock = new ReentrantLock();

    private ProfileStore(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    /** Opens (creating if needed) the database file. */
    public static ProfileStore open(Path file) throws ProfileStoreException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new ProfileStoreException("cannot create the folder of profile store " + file + ": " + e.getMessage(), e);
        }
        return open("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Opens a SQLite JDBC URL. */
    public static ProfileStore open(String jdbcUrl) throws ProfileStoreException {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("CREATE TABLE IF NOT EXISTS profile (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, "
                        + "updated_at TEXT NOT NULL, product TEXT, message TEXT NOT NULL, image TEXT, score REAL, "
                        + "share REAL)");
                s.execute("CREATE TABLE IF NOT EXISTS profile_image (profile TEXT NOT NULL REFERENCES profile(id), "
                        + "sha256 TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, added_at TEXT NOT NULL, "
                        + "PRIMARY KEY (profile, sha256))");
                s.execute("CREATE TABLE IF NOT EXISTS profile_image_label (profile TEXT NOT NULL, sha256 TEXT NOT NULL, "
                        + "label TEXT NOT NULL, score REAL NOT NULL, positive INTEGER NOT NULL, "
                        + "PRIMARY KEY (profile, sha256, label), "
                        + "FOREIGN KEY (profile, sha256) REFERENCES profile_image(profile, sha256))");
            }
            c.setAutoCommit(false);
            c.commit();
            return new ProfileStore(c, jdbcUrl);
        } catch (SQLException e) {
            throw new ProfileStoreException("cannot open profile store " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** The outcome of {@link #add}: whether the image was new to the profile, and the profile afterwards. */
    public record Update(boolean added, ProfileState state) {
    }

    /** Checks a profile id; the message says what is allowed. */
    public static String checkProfileId(String profile) {
        if (profile == null || !PROFILE_ID.matcher(profile).matches()) {
            throw new IllegalArgumentException("profile id '" + profile + "' is not allowed: use 1-64 letters, digits, "
                    + "'.', '_' or '-', not starting with '.'");
        }
        return profile;
    }

    /**
     * Adds an analysed or face-less image to a profile and recomputes its recommendation, atomically. An image
     * already stored for the profile (same SHA-256) changes nothing. Error results are refused.
     */
    public Update add(String profile, ImageResult image) throws ProfileStoreException {
        checkProfileId(profile);
        if (image.status() == ImageStatus.ERROR || image.sha256() == null) {
            throw new IllegalArgumentException("only decoded images can be stored; " + image.name() + " is "
                    + image.status() + (image.error() == null ? "" : ": " + image.error()));
        }
        lock.lock();
        try {
            String now = Instant.now().toString();
            try {
                try (PreparedStatement p = connection.prepareStatement("INSERT OR IGNORE INTO profile "
                        + "(id, created_at, updated_at, message) VALUES (?, ?, ?, ?)")) {
                    p.setString(1, profile);
                    p.setString(2, now);
                    p.setString(3, now);
                    p.setString(4, Recommendation.NOTHING);
                    p.executeUpdate();
                }
                int inserted;
                try (PreparedStatement p = connection.prepareStatement("INSERT OR IGNORE INTO profile_image "
                        + "(profile, sha256, name, status, added_at) VALUES (?, ?, ?, ?, ?)")) {
                    p.setString(1, profile);
                    p.setString(2, image.sha256());
                    p.setString(3, image.name());
                    p.setString(4, image.status().name());
                    p.setString(5, now);
                    inserted = p.executeUpdate();
                }
                if (inserted == 0) {
                    connection.rollback();
                    return new Update(false, read(profile).orElseThrow());
                }
                if (image.status() == ImageStatus.ANALYSED) {
                    try (PreparedStatement p = connection.prepareStatement("INSERT INTO profile_image_label "
                            + "(profile, sha256, label, score, positive) VALUES (?, ?, ?, ?, ?)")) {
                        for (var entry : image.labelScores().entrySet()) {
                            p.setString(1, profile);
                            p.setString(2, image.sha256());
                            p.setString(3, entry.getKey());
                            p.setDouble(4, entry.getValue());
                            p.setInt(5, image.positives().contains(entry.getKey()) ? 1 : 0);
                            p.addBatch();
                        }
                        p.executeBatch();
                    }
                }
                ProfileState state = read(profile).orElseThrow();
                Recommendation r = state.recommendation();
                try (PreparedStatement p = connection.prepareStatement("UPDATE profile SET updated_at = ?, "
                        + "product = ?, message = ?, image = ?, score = ?, share = ? WHERE id = ?")) {
                    p.setString(1, now);
                    p.setString(2, r.product());
                    p.setString(3, r.message());
                    p.setString(4, r.image());
                    p.setObject(5, r.score());
                    p.setObject(6, r.share());
                    p.setString(7, profile);
                    p.executeUpdate();
                }
                connection.commit();
                return new Update(true, read(profile).orElseThrow());
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } catch (SQLException e) {
            throw new ProfileStoreException("profile store " + where + ": adding " + image.name() + " to " + profile
                    + " failed and was rolled back: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The stored state of a profile, empty when it has never been updated. */
    public Optional<ProfileState> state(String profile) throws ProfileStoreException {
        checkProfileId(profile);
        lock.lock();
        try {
            Optional<ProfileState> state = read(profile);
            connection.commit();
            return state;
        } catch (SQLException e) {
            throw new ProfileStoreException("profile store " + where + ": reading " + profile + " failed: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Optional<ProfileState> read(String profile) throws SQLException {
        String updatedAt;
        try (PreparedStatement p = connection.prepareStatement("SELECT updated_at FROM profile WHERE id = ?")) {
            p.setString(1, profile);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                updatedAt = rs.getString(1);
            }
        }
        int seen;
        int analysed;
        try (PreparedStatement p = connection.prepareStatement("SELECT COUNT(*), "
                + "COALESCE(SUM(CASE WHEN status = 'ANALYSED' THEN 1 ELSE 0 END), 0) FROM profile_image WHERE profile = ?")) {
            p.setString(1, profile);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                seen = rs.getInt(1);
                analysed = rs.getInt(2);
            }
        }
        List<LabelTally> tallies = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT l.label, SUM(l.positive), "
                + "(SELECT b.score FROM profile_image_label b JOIN profile_image bi ON bi.profile = b.profile "
                + "AND bi.sha256 = b.sha256 WHERE b.profile = l.profile AND b.label = l.label AND b.positive = 1 "
                + "ORDER BY b.score DESC, bi.name ASC LIMIT 1), "
                + "(SELECT bi.name FROM profile_image_label b JOIN profile_image bi ON bi.profile = b.profile "
                + "AND bi.sha256 = b.sha256 WHERE b.profile = l.profile AND b.label = l.label AND b.positive = 1 "
                + "ORDER BY b.score DESC, bi.name ASC LIMIT 1) "
                + "FROM profile_image_label l WHERE l.profile = ? GROUP BY l.label ORDER BY l.label")) {
            p.setString(1, profile);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int positive = rs.getInt(2);
                    double best = rs.getDouble(3);
                    Double bestScore = rs.wasNull() ? null : best;
                    tallies.add(new LabelTally(rs.getString(1), positive,
                            analysed == 0 ? 0.0 : (double) positive / analysed, bestScore, rs.getString(4)));
                }
            }
        }
        return Optional.of(new ProfileState(profile, seen, analysed, tallies, RecommendationRules.forProfile(tallies),
                updatedAt));
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    @Override
    public void close() throws ProfileStoreException {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new ProfileStoreException("closing profile store " + where + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
