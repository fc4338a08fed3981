package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Each profile's images (by SHA-256 of their bytes), their per-label scores, and the recommendation recomputed from
 * them. An update — one image added to a profile — is atomic: either all of it is visible or none of it. Counts are
 * derived from the stored image rows, never kept as counters, so the same image sent twice to a profile counts once,
 * whichever thread or process sends it.
 *
 * <p>Two implementations, chosen by {@link #open(String)} from the location: {@link SqliteProfileStore} (a file, the
 * default; one process writes it) and {@link PostgresProfileStore} ({@code jdbc:postgresql://…}; several servers
 * share it). Both keep the schema in numbered migrations (the package's {@code StoreSchema}) applied when the store
 * opens, and refuse a database written by a newer img2rec ({@link SchemaTooNewException}). Every method may be
 * called from any thread.
 */
public interface ProfileStore extends AutoCloseable {
    /** Profile ids: 1–64 letters, digits, '.', '_' or '-', not starting with '.'. */
    Pattern PROFILE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    /** The outcome of {@link #add}: whether the image was new to the profile, and the profile afterwards. */
    record Update(boolean added, ProfileState state) {
    }

    /**
     * Opens (creating and migrating if needed) the store at {@code location}: a {@code jdbc:postgresql://…} URL, a
     * {@code jdbc:sqlite:…} URL, or a file path, which means SQLite. PostgreSQL gets the default pool.
     */
    static ProfileStore open(String location) throws ProfileStoreException {
        return open(location, PostgresProfileStore.PoolSettings.DEFAULTS);
    }

    /**
     * {@link #open(String)}, with {@code postgres} as the connection pool when {@code location} is a PostgreSQL URL
     * (a SQLite store has no pool: the settings are not used). The one place that tells the stores apart by their
     * location; the server's and the Spark job's {@code --store} both come here.
     */
    static ProfileStore open(String location, PostgresProfileStore.PoolSettings postgres)
            throws ProfileStoreException {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("profile store location is empty: give a SQLite file path or a "
                    + "jdbc:postgresql://host:port/database URL");
        }
        String lower = location.toLowerCase(Locale.ROOT);
        if (isShared(location)) {
            return PostgresProfileStore.open(location, postgres);
        }
        if (lower.startsWith(SqliteProfileStore.URL_PREFIX)) {
            return SqliteProfileStore.open(location);
        }
        if (lower.startsWith("jdbc:")) {
            throw new IllegalArgumentException("profile store '" + location + "' is not supported: use a SQLite file "
                    + "path, jdbc:sqlite:<file> or jdbc:postgresql://host:port/database");
        }
        return open(Path.of(location));
    }

    /**
     * Whether the store at {@code location} may be written by several processes at once: a PostgreSQL URL. A SQLite
     * store (a file path or {@code jdbc:sqlite:…}) is a file that one process writes.
     */
    static boolean isShared(String location) {
        return location != null && location.toLowerCase(Locale.ROOT).startsWith(PostgresProfileStore.URL_PREFIX);
    }

    /** Opens (creating if needed, with its folder) a SQLite database file. */
    static ProfileStore open(Path file) throws ProfileStoreException {
        return SqliteProfileStore.open(file);
    }

    /** Checks a profile id; the message says what is allowed. */
    static String checkProfileId(String profile) {
        if (profile == null || !PROFILE_ID.matcher(profile).matches()) {
            throw new IllegalArgumentException("profile id '" + profile + "' is not allowed: use 1-64 letters, digits, "
                    + "'.', '_' or '-', not starting with '.'");
        }
        return profile;
    }

    /**
     * Adds an analysed or face-less image to a profile and recomputes its recommendation, atomically. An image
     * already stored for the profile (same SHA-256) changes nothing and gives {@code added == false}. Error results
     * are refused with an {@link IllegalArgumentException}.
     */
    Update add(String profile, ImageResult image) throws ProfileStoreException;

    /** The stored state of a profile, empty when it has never been updated. */
    Optional<ProfileState> state(String profile) throws ProfileStoreException;

    /**
     * A cheap round trip to the database, for readiness checks: returns when it answers, throws when it cannot be
     * reached or the store is closed.
     */
    void check() throws ProfileStoreException;

    /** The schema version the database is at: after the migrations run at open, the newest this img2rec knows. */
    int schemaVersion();

    /** Where the store lives, for messages and logs: the file, or the URL without a password. */
    String location();

    @Override
    void close() throws ProfileStoreException;
}
