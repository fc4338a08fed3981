package io.img2rec.core.run;

import java.nio.file.Path;

/**
 * The format-version rule shared by every versioned file of a run folder: a file without a version is version 1 (it
 * was written before versions were recorded, and version 1 is that same content); a version newer than the reader's, or
 * older than the oldest it reads, is refused with a message saying what cannot be read and what to do.
 */
public final class FormatVersions {
    private FormatVersions() {
    }

    /**
     * Checks a version read from {@code file}.
     *
     * @param found     the version in the file, null when the file has none (read as 1)
     * @param supported the newest version this build reads (and writes); it reads every version from 1 to this one
     * @return the effective version
     * @throws RunFormatException when {@code found} is outside 1..{@code supported}
     */
    public static int check(Path file, Integer found, int supported) throws RunFormatException {
        int version = found == null ? 1 : found;
        if (version > supported) {
            throw new RunFormatException(file + ": formatVersion " + version + " is newer than this img2rec reads"
                    + " (up to " + supported + "); the file was written by a newer img2rec: read it with that version"
                    + " or upgrade this one");
        }
        if (version < 1) {
            throw new RunFormatException(file + ": formatVersion " + version + " is not a version this img2rec reads"
                    + " (1 to " + supported + "); the file is damaged or not an img2rec file: re-run training to"
                    + " write it again");
        }
        return version;
    }
}
