package io.img2rec.serve.store;

/**
 * The database was written by a newer img2rec: its schema version is above the newest this one knows, so reading or
 * writing it could lose data. Nothing was changed; the message names both versions.
 */
public final class SchemaTooNewException extends ProfileStoreException {
    private final int found;
    private final int supported;

    public SchemaTooNewException(String location, int found, int supported) {
        super("profile store " + location + " is at schema version " + found + ", newer than this img2rec knows "
                + "(schema version " + supported + " at most): it was written by a newer img2rec. Run that release "
                + "or a later one against it, or point --store at another database", null);
        this.found = found;
        this.supported = supported;
    }

    /** The version the database is at. */
    public int found() {
        return found;
    }

    /** The newest version this img2rec reads and writes. */
    public int supported() {
        return supported;
    }
}
