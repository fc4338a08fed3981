package io.img2rec.core.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a scan found: the manifest (all splits {@link Split#UNASSIGNED}) and the files left out, sorted by path.
 */
public record ScanResult(Manifest manifest, List<Rejected> rejected) {

    public ScanResult {
        rejected = rejected.stream().sorted(Rejected.ORDER).toList();
    }

    /** Writes {@code manifest.csv} and {@code rejected.csv} (atomically) into {@code folder}. */
    public void writeTo(Path folder) throws IOException {
        ManifestCsv.write(manifest, folder.resolve(ManifestCsv.MANIFEST_FILE));
        ManifestCsv.writeRejected(rejected, folder.resolve(ManifestCsv.REJECTED_FILE));
    }
}
