package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;

import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

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
 * should write a given file (SQLite's own locking makes a second one wait, up to the busy timeout); several servers
 * sharing profiles use {@link PostgresProfileStore}.
 */
public final class SqliteProfileStore implements ProfileStore {
    /** JDBC URLs of this store start with this. */
    static final String URL_PREFIX = "jdbc:sqlite:";

    private final Connection connection;
    private final String where;
    private final int schemaVersion;
    private final ReentrantLock lock = new ReentrantLock();

    private SqliteProfileStore(Connection connection, String where, int schemaVersion) {
        this.connection = connection;
        this.where = where;
        this.schemaVersion = schemaVersion;
    }

    /** Opens (creating if needed, with its folder) the database file and brings its schema up to date. */
    public static SqliteProfileStore open(Path file) throws ProfileStoreException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new ProfileStoreException("cannot create the folder of profile store " + file + ": " + e.getMessage(), e);
        }
        return open(URL_PREFIX + file.toAbsolutePath());
    }

    /** Opens a SQLite JDBC URL and brings its schema up to date. */
    public static SqliteProfileStore open(String jdbcUrl) throws ProfileStoreException {
        long deadline = System.nanoTime() + BUSY_RETRY_NANOS;
        for (int attempt = 1; ; attempt++) {
            Connection c = null;
            try {
                int version = migrate(jdbcUrl);
                c = DriverManager.getConnection(jdbcUrl);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                    s.execute("PRAGMA journal_mode = WAL");
                    s.execute("PRAGMA synchronous = FULL");
                }
                c.setAutoCommit(false);
                return new SqliteProfileStore(c, jdbcUrl, version);
            } catch (SQLException e) {
                closeQuietly(c);
                if (isBusy(e) && System.nanoTime() < deadline) {
                    pause(attempt);
                    continue;
                }
                throw new ProfileStoreException("cannot open profile store " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * How long opening retries when SQLite answers SQLITE_BUSY without waiting: when two connections open a new file
     * at once, one switching it to WAL while the other holds a read lock, SQLite reports BUSY at once instead of
     * calling the busy handler, which would deadlock ({@code ProfileStoreContractTest}: four stores opening one new
     * file at once failed now and then).
     */
    private static final long BUSY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static boolean isBusy(SQLException e) {
        return e instanceof org.sqlite.SQLiteException se
                && (se.getResultCode().code & 0xff) == org.sqlite.SQLiteErrorCode.SQLITE_BUSY.code; // and its extended codes
    }

    private static void pause(int attempt) throws ProfileStoreException {
        try {
            Thread.sleep(Math.min(200, 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileStoreException("interrupted while opening a profile store", e);
        }
    }

    /**
     * Runs the migrations on a connection of their own whose transactions begin IMMEDIATE: the write lock is taken
     * before the version is read. With deferred transactions, two connections upgrading one file at once (its
     * {@code schema_version} there, a migration pending) would both read the old version and the second would fail
     * to turn its stale read into a write. A brand-new file is safe either way (its first statement, a
     * {@code CREATE TABLE}, already writes); no second migration exists yet to test the upgrade race itself.
     */
    private static int migrate(String jdbcUrl) throws SQLException, SchemaTooNewException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try (Connection m = DriverManager.getConnection(jdbcUrl, config.toProperties())) {
            try (Statement s = m.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL"); // persistent in the file; before the first write
                s.execute("PRAGMA synchronous = FULL");
            }
            m.setAutoCommit(false);
            return StoreSchema.migrate(m, StoreSchema.Dialect.SQLITE, jdbcUrl);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the failure to open is the one worth reporting
            }
        }
    }

    @Override
    public void check() throws ProfileStoreException {
        lock.lock();
        try (Statement s = connection.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM schema_version").close();
            connection.commit(); // no read transaction left open (it would pin an old snapshot)
        } catch (SQLException e) {
            throw new ProfileStoreException("profile store " + where + " does not answer: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public String location() {
        return where;
    }

    /** SQLite's forms: insert-or-ignore, times as ISO-8601 text, booleans as 0/1. */
    private static final ProfileWrites.Dialect DIALECT = new ProfileWrites.Dialect() {
        @Override
        public String insertProfileIfAbsent() {
            return "INSERT OR IGNORE INTO profile (id, created_at, updated_at, message) VALUES (?, ?, ?, ?)";
        }

        @Override
        public String insertImageIfAbsent() {
            return "INSERT OR IGNORE INTO profile_image (profile, sha256, name, status, added_at) VALUES (?, ?, ?, ?, ?)";
        }

        @Override
        public void bindTime(PreparedStatement p, int index, Instant time) throws SQLException {
            p.setString(index, time.toString());
        }

        @Override
        public void bindPositive(PreparedStatement p, int index, boolean positive) throws SQLException {
            p.setInt(index, positive ? 1 : 0);
        }

        @Override
        public String readTime(ResultSet rs, int column) throws SQLException {
            return rs.getString(column);
        }

        @Override
        public String countImages() {
            return "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'ANALYSED' THEN 1 ELSE 0 END), 0) "
                    + "FROM profile_image WHERE profile = ?";
        }

        @Override
        public String labelRows() {
            // BINARY collation (SQLite's default): labels and names sort by code point
            return "SELECT l.label, SUM(l.positive), "
                    + "(SELECT b.score FROM profile_image_label b JOIN profile_image bi ON bi.profile = b.profile "
                    + "AND bi.sha256 = b.sha256 WHERE b.profile = l.profile AND b.label = l.label AND b.positive = 1 "
                    + "ORDER BY b.score DESC, bi.name ASC LIMIT 1), "
                    + "(SELECT bi.name FROM profile_image_label b JOIN profile_image bi ON bi.profile = b.profile "
                    + "AND bi.sha256 = b.sha256 WHERE b.profile = l.profile AND b.label = l.label AND b.positive = 1 "
                    + "ORDER BY b.score DESC, bi.name ASC LIMIT 1) "
                    + "FROM profile_image_label l WHERE l.profile = ? GROUP BY l.label ORDER BY l.label";
        }

        @Override
        public int labelRowsProfileParameters() {
            return 1;
        }
    };

    @Override
    public Update add(String profile, ImageResult image) throws ProfileStoreException {
        ProfileStore.checkProfileId(profile);
        ProfileWrites.requireStorable(image);
        lock.lock();
        try {
            try {
                return ProfileWrites.add(connection, DIALECT, profile, image);
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

    @Override
    public Optional<ProfileState> state(String profile) throws ProfileStoreException {
        ProfileStore.checkProfileId(profile);
        lock.lock();
        try {
            Optional<ProfileState> state = ProfileWrites.read(connection, DIALECT, profile);
            connection.commit();
            return state;
        } catch (SQLException e) {
            throw new ProfileStoreException("profile store " + where + ": reading " + profile + " failed: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
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
