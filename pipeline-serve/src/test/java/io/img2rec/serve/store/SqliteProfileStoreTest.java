package io.img2rec.serve.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What only the SQLite store has: files written before the schema was versioned. */
class SqliteProfileStoreTest {
    @TempDir
    Path dir;

    @Test
    void aFileFromBeforeSchemaVersionsIsAdoptedAsVersionOneWithItsRows() throws Exception {
        Path db = dir.resolve("old.db");
        // the DDL and rows exactly as the store wrote them before schema_version existed
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
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
            s.execute("INSERT INTO profile VALUES ('erin', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', 'hat', "
                    + "'recommend hat', 'a.jpg', 0.9, 1.0)");
            s.execute("INSERT INTO profile_image VALUES ('erin', 'sha-a', 'a.jpg', 'ANALYSED', '2026-11-01T10:00:00Z')");
            s.execute("INSERT INTO profile_image_label VALUES ('erin', 'sha-a', 'hat', 0.9, 1)");
        }
        try (ProfileStore store = ProfileStore.open(db)) {
            assertEquals(1, store.schemaVersion());
            ProfileState state = store.state("erin").orElseThrow();
            assertEquals(1, state.imagesSeen());
            assertEquals("a.jpg", state.tallies().get(0).bestImage());
            assertEquals("2026-11-01T10:00:00Z", state.updatedAt());
            store.add("erin", ProfileStoreContractTest.image("b.jpg", 0.1, 0.1));
            assertEquals(2, store.state("erin").orElseThrow().imagesSeen());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, description FROM schema_version")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }
}
