package io.img2rec.serve.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.img2rec.serve.rules.ImageResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Profiles in a PostgreSQL database that several servers (processes, machines) share, through a HikariCP connection
 * pool. The tables are those of {@link SqliteProfileStore} in PostgreSQL's types (the package's {@code StoreSchema}).
 *
 * <p>An update is one transaction at READ COMMITTED: it upserts the profile row with
 * {@code INSERT … ON CONFLICT (id) DO UPDATE}, which also locks that row, so updates of one profile from any number
 * of servers run one after the other while other profiles proceed in parallel; it inserts the image with
 * {@code ON CONFLICT (profile, sha256) DO NOTHING} (no row inserted: the image was already there, nothing changes and
 * the transaction rolls back); then its label rows; then it recomputes the recommendation from all committed rows,
 * which the row lock guarantees include every earlier update of the profile. The counts are derived from the image
 * rows, so the same image sent twice — to one server or to two — counts once.
 */
public final class PostgresProfileStore implements ProfileStore {
    /** JDBC URLs of this store start with this. */
    static final String URL_PREFIX = "jdbc:postgresql:";

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&]*");
    /** Deadlock and serialization failures: the whole update is retried (neither is expected at READ COMMITTED). */
    private static final int ATTEMPTS = 3;

    /**
     * The connection pool.
     *
     * @param maxConnections    connections this process holds at most (each server: its handler threads' share)
     * @param connectionTimeout how long a caller waits for a free connection, or for the server at start
     * @param password          the database password when the URL carries none (e.g. from {@code PGPASSWORD})
     */
    public record PoolSettings(int maxConnections, Duration connectionTimeout, Optional<String> password) {
        public static final PoolSettings DEFAULTS = new PoolSettings(8, Duration.ofSeconds(10), Optional.empty());

        public PoolSettings {
            java.util.Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            java.util.Objects.requireNonNull(password, "password (Optional.empty() for none)");
            if (maxConnections < 1 || maxConnections > 1000) {
                throw new IllegalArgumentException("profile store pool size " + maxConnections
                        + " is not allowed: use 1 to 1000 connections");
            }
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("profile store connection timeout " + connectionTimeout
                        + " is too short: use 250 ms or more");
            }
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "PoolSettings[maxConnections=" + maxConnections + ", connectionTimeout=" + connectionTimeout
                    + ", password=" + (password.isPresent() ? "***" : "none") + "]";
        }

        public PoolSettings withMaxConnections(int n) {
            return new PoolSettings(n, connectionTimeout, password);
        }

        public PoolSettings withPassword(Optional<String> p) {
            return new PoolSettings(maxConnections, connectionTimeout, p);
        }
    }

    private final HikariDataSource pool;
    private final String where;
    private final int schemaVersion;

    private PostgresProfileStore(HikariDataSource pool, String where, int schemaVersion) {
        this.pool = pool;
        this.where = where;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Connects to {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database[?user=…]}), fails at once when the
     * server cannot be reached, and brings the schema up to date (or refuses a newer one).
     */
    public static PostgresProfileStore open(String jdbcUrl, PoolSettings settings) throws ProfileStoreException {
        String where = withoutPassword(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        settings.password().ifPresent(config::setPassword);
        config.setPoolName("img2rec-profile-store");
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(Math.min(2, settings.maxConnections()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.addDataSourceProperty("ApplicationName", "img2rec");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) { // Hikari's PoolInitializationException: unreachable, refused, bad credentials
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProfileStoreException("cannot connect to profile store " + where + " within "
                    + settings.connectionTimeout().toSeconds() + " s: " + cause.getMessage(), e);
        }
        try (Connection c = pool.getConnection()) {
            int version = StoreSchema.migrate(c, StoreSchema.Dialect.POSTGRESQL, where);
            return new PostgresProfileStore(pool, where, version);
        } catch (SQLException e) {
            pool.close();
            throw new ProfileStoreException("cannot open profile store " + where + ": migrating its schema to version "
                    + StoreSchema.CURRENT + " failed: " + e.getMessage(), e);
        } catch (SchemaTooNewException e) {
            pool.close();
            throw e;
        }
    }

    static String withoutPassword(String jdbcUrl) {
        return PASSWORD_IN_URL.matcher(jdbcUrl).replaceAll("$1***");
    }

    @Override
    public void check() throws ProfileStoreException {
        try (Connection c = pool.getConnection(); var s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
            c.rollback();
        } catch (SQLException e) {
            throw new ProfileStoreException("profile store " + where + " does not answer: " + e.getMessage(), e);
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

    @Override
    public Update add(String profile, ImageResult image) throws ProfileStoreException {
        ProfileStore.checkProfileId(profile);
        ProfileWrites.requireStorable(image);
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                try {
                    return ProfileWrites.add(c, DIALECT, profile, image);
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isTransient(e)) {
                    continue;
                }
                throw new ProfileStoreException("profile store " + where + ": adding " + image.name() + " to "
                        + profile + " failed and was rolled back: " + e.getMessage(), e);
            }
        }
    }

    private static boolean isTransient(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /**
     * PostgreSQL's forms: the profile insert is an upsert that also locks the row, so the adds of one profile run one
     * after another across servers; times as {@code timestamptz}, booleans as booleans.
     */
    private static final ProfileWrites.Dialect DIALECT = new ProfileWrites.Dialect() {
        @Override
        public String insertProfileIfAbsent() {
            return "INSERT INTO profile (id, created_at, updated_at, message) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET updated_at = profile.updated_at";
        }

        @Override
        public String insertImageIfAbsent() {
            return "INSERT INTO profile_image (profile, sha256, name, status, added_at) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT (profile, sha256) DO NOTHING";
        }

        @Override
        public void bindTime(PreparedStatement p, int index, Instant time) throws SQLException {
            p.setObject(index, time.atOffset(ZoneOffset.UTC));
        }

        @Override
        public void bindPositive(PreparedStatement p, int index, boolean positive) throws SQLException {
            p.setBoolean(index, positive);
        }

        @Override
        public String readTime(ResultSet rs, int column) throws SQLException {
            return rs.getObject(column, OffsetDateTime.class).toInstant().toString();
        }

        @Override
        public String countImages() {
            return "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'ANALYSED') FROM profile_image WHERE profile = ?";
        }

        @Override
        public String labelRows() {
            // COLLATE "C": labels and the best-image tie-break sort by code point, as SQLite's BINARY does, whatever
            // the database's locale
            return "WITH counts AS (SELECT label, COUNT(*) FILTER (WHERE positive) "
                    + "AS positives FROM profile_image_label WHERE profile = ? GROUP BY label), "
                    + "best AS (SELECT DISTINCT ON (b.label) b.label, b.score, bi.name FROM profile_image_label b "
                    + "JOIN profile_image bi ON bi.profile = b.profile AND bi.sha256 = b.sha256 "
                    + "WHERE b.profile = ? AND b.positive "
                    + "ORDER BY b.label, b.score DESC, bi.name COLLATE \"C\" ASC) "
                    + "SELECT counts.label, counts.positives, best.score, best.name FROM counts "
                    + "LEFT JOIN best ON best.label = counts.label ORDER BY counts.label COLLATE \"C\"";
        }

        @Override
        public int labelRowsProfileParameters() {
            return 2;
        }
    };

    @Override
    public Optional<ProfileState> state(String profile) throws ProfileStoreException {
        ProfileStore.checkProfileId(profile);
        try (Connection c = pool.getConnection()) {
            try {
                // one snapshot for the three reads: counts, tallies and time agree with each other
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                Optional<ProfileState> state = ProfileWrites.read(c, DIALECT, profile);
                c.commit();
                return state;
            } finally {
                rollbackQuietly(c);
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new ProfileStoreException("profile store " + where + ": reading " + profile + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
