package io.img2rec.serve.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The profile store's schema, as numbered migrations, for both databases: the one owner of table definitions and
 * of the schema version.
 *
 * <p>The rule: a database records each applied migration as a row of {@code schema_version}; its version is the
 * highest one. Opening a store applies, in order and in one transaction together with their rows, the migrations it
 * lacks, so a database is either at its old version or at {@link #CURRENT}, never between. A database at a version
 * newer than {@link #CURRENT} (written by a newer img2rec) is refused with {@link SchemaTooNewException}, before
 * anything is written. Migrations are append-only: a released one is never edited; a change is a new migration with
 * the next number, written for both dialects.
 *
 * <p>Version 1 is the layout of the SQLite store from before versioning, so a file written by an older img2rec (the
 * three tables, no {@code schema_version}) is adopted as version 1 unchanged.
 */
final class StoreSchema {
    /** The two dialects the migrations are written for. */
    enum Dialect {
        SQLITE, POSTGRESQL
    }

    /** One step of the schema: its version, what it does, and its statements per dialect. */
    record Migration(int version, String description, List<String> sqlite, List<String> postgresql) {
        Migration {
            sqlite = List.copyOf(sqlite);
            postgresql = List.copyOf(postgresql);
        }

        List<String> statements(Dialect dialect) {
            return dialect == Dialect.SQLITE ? sqlite : postgresql;
        }
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "profiles, their images (by SHA-256) and per-label scores",
                    List.of("CREATE TABLE IF NOT EXISTS profile (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, "
                                    + "updated_at TEXT NOT NULL, product TEXT, message TEXT NOT NULL, image TEXT, "
                                    + "score REAL, share REAL)",
                            "CREATE TABLE IF NOT EXISTS profile_image (profile TEXT NOT NULL REFERENCES profile(id), "
                                    + "sha256 TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, "
                                    + "added_at TEXT NOT NULL, PRIMARY KEY (profile, sha256))",
                            "CREATE TABLE IF NOT EXISTS profile_image_label (profile TEXT NOT NULL, "
                                    + "sha256 TEXT NOT NULL, label TEXT NOT NULL, score REAL NOT NULL, "
                                    + "positive INTEGER NOT NULL, PRIMARY KEY (profile, sha256, label), "
                                    + "FOREIGN KEY (profile, sha256) REFERENCES profile_image(profile, sha256))"),
                    List.of("CREATE TABLE IF NOT EXISTS profile (id text PRIMARY KEY, "
                                    + "created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, product text, "
                                    + "message text NOT NULL, image text, score double precision, "
                                    + "share double precision)",
                            "CREATE TABLE IF NOT EXISTS profile_image (profile text NOT NULL REFERENCES profile(id), "
                                    + "sha256 text NOT NULL, name text NOT NULL, status text NOT NULL, "
                                    + "added_at timestamptz NOT NULL, PRIMARY KEY (profile, sha256))",
                            "CREATE TABLE IF NOT EXISTS profile_image_label (profile text NOT NULL, "
                                    + "sha256 text NOT NULL, label text NOT NULL, score double precision NOT NULL, "
                                    + "positive boolean NOT NULL, PRIMARY KEY (profile, sha256, label), "
                                    + "FOREIGN KEY (profile, sha256) REFERENCES profile_image(profile, sha256))")));

    /** The version this img2rec writes and reads: the last migration's. */
    static final int CURRENT = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    /**
     * Serialises migrations between processes that open one PostgreSQL database at the same moment (a transaction
     * advisory lock, released at commit). The number is arbitrary and fixed: it spells "img2rec" in ASCII.
     */
    private static final long MIGRATION_LOCK = 0x696d6732726563L;

    private StoreSchema() {
    }

    /**
     * Brings the database behind {@code connection} (auto-commit off) to {@link #CURRENT} and returns the version it
     * is at, or throws before writing anything when it is newer.
     */
    static int migrate(Connection connection, Dialect dialect, String location)
            throws SQLException, SchemaTooNewException {
        try (Statement s = connection.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
                        + "description text NOT NULL, applied_at timestamptz NOT NULL)");
            } else {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at TEXT NOT NULL)");
            }
            int at;
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                at = rs.getInt(1);
            }
            if (at > CURRENT) {
                connection.rollback();
                throw new SchemaTooNewException(location, at, CURRENT);
            }
            for (Migration m : MIGRATIONS) {
                if (m.version() <= at) {
                    continue;
                }
                for (String sql : m.statements(dialect)) {
                    s.execute(sql);
                }
                try (PreparedStatement p = connection.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, m.version());
                    p.setString(2, m.description());
                    if (dialect == Dialect.POSTGRESQL) {
                        p.setObject(3, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
                    } else {
                        p.setString(3, Instant.now().toString());
                    }
                    p.executeUpdate();
                }
            }
            connection.commit();
            return CURRENT;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }
}
