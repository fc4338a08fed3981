package io.img2rec.spark;

import io.img2rec.serve.store.PostgresProfileStore;
import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.store.ProfileStoreException;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * The profile store the job adds its images to: the location as the server's {@code --store} takes it (a
 * {@code jdbc:postgresql://…} URL, or a SQLite file / {@code jdbc:sqlite:…} URL, for {@code local[n]} only), and the
 * connections each executor JVM holds at most. Serializable, shipped with the write tasks; its equality is the key of
 * the per-JVM {@link ExecutorProfileStores}. The password is not part of it: as the server does, every JVM that opens
 * the store takes it from its own {@code $PGPASSWORD} when the URL carries none (executors: set
 * {@code spark.executorEnv.PGPASSWORD}, which Spark's UI redacts).
 *
 * @param location     the store's location (may carry a password; never printed: see {@link #shown})
 * @param shown        the location as messages and the Spark UI show it (no password): the store's own
 *                     {@code location()}, set by {@link #opened}
 * @param pool         PostgreSQL: connections per JVM at most (the JVM's concurrent write tasks share them)
 */
public record StoreTarget(String location, String shown, int pool) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_POOL = 4;

    public StoreTarget {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(shown, "shown");
        if (pool < 1 || pool > 1000) {
            throw new IllegalArgumentException("profile store pool " + pool + " is not allowed: use 1 to 1000 "
                    + "connections per executor");
        }
    }

    /**
     * Opens the store on the driver — which runs its migrations and refuses a newer schema or an unreachable
     * database before anything is scored — after refusing a SQLite store when {@code master} is not local (a
     * SQLite file is owned by one process; executors on other machines would each write a file of their own).
     * Returns the target with its shown location, and the schema version.
     */
    public static Opened opened(String location, int pool, String master) throws ProfileStoreException {
        requireReachableByExecutors(location, master);
        StoreTarget draft = new StoreTarget(location, "", pool);
        try (ProfileStore store = draft.open()) {
            return new Opened(new StoreTarget(location, store.location(), pool), store.schemaVersion());
        }
    }

    /** A target, its shown location filled in, and the schema version the driver found (and migrated to). */
    public record Opened(StoreTarget target, int schemaVersion) {
    }

    /**
     * Refuses a SQLite store unless {@code master} is local ({@code local}, {@code local[n]}, {@code local[n,m]}:
     * the driver is the only executor JVM). {@code local-cluster[…]} starts executor JVMs of its own: refused too.
     */
    static void requireReachableByExecutors(String location, String master) {
        boolean local = "local".equals(master) || (master != null && master.startsWith("local["));
        if (!ProfileStore.isShared(location) && !local) {
            throw new IllegalArgumentException("profile store '" + location + "' is a SQLite file, which one process "
                    + "owns, but the master is " + master + ": executors on other machines would each write a file "
                    + "of their own. Use jdbc:postgresql://host:port/database (the store several servers share), or "
                    + "run with --master local[n]");
        }
    }

    /** Opens (and migrates) the store; in an executor, {@link ExecutorProfileStores} calls this once per JVM. */
    ProfileStore open() throws ProfileStoreException {
        return ProfileStore.open(location, PostgresProfileStore.PoolSettings.DEFAULTS.withMaxConnections(pool)
                .withPassword(Optional.ofNullable(System.getenv("PGPASSWORD"))));
    }

    /** The shown location only: the URL may carry a password. */
    @Override
    public String toString() {
        return "StoreTarget[" + shown + ", pool " + pool + "]";
    }
}
