package io.img2rec.core.dataset;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.manifest.ManifestException;
import io.img2rec.core.manifest.ManifestScanner;
import io.img2rec.core.manifest.ManifestSummary;
import io.img2rec.core.manifest.ScanOptions;
import io.img2rec.core.manifest.ScanResult;
import io.img2rec.core.split.Splitter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Scans a config's dataset, splits it with the config's ratios and seed, and writes {@code manifest.csv},
 * {@code rejected.csv} and {@code summary/*.csv} into a folder. Shared by the manifest CLI and the training job.
 */
public final class DatasetScan {
    private DatasetScan() {
    }

    /** The scan options a config implies. */
    public static ScanOptions options(PipelineConfig config) {
        return new ScanOptions(config.labels(), config.data().backgroundFolders(), config.data().maxPixels(),
                config.data().minSide(), config.data().threads(), ScanOptions.DEFAULT_EXTENSIONS);
    }

    /** Scans {@code datasetRoot}, splits, writes everything into {@code out}; returns the split result and its summary. */
    public static Prepared run(PipelineConfig config, Path datasetRoot, Path out, boolean showProgress)
            throws ManifestException, IOException {
        ScanResult scan = new ManifestScanner(options(config), showProgress).scan(datasetRoot);
        var split = new ScanResult(new Splitter(config.data().split().ratios(), config.seed()).split(scan.manifest()),
                scan.rejected());
        split.writeTo(out);
        ManifestSummary summary = ManifestSummary.of(split.manifest(), split.rejected());
        summary.saveCsv(out.resolve(io.img2rec.core.run.RunLayout.SUMMARY_FOLDER));
        return new Prepared(split, summary);
    }

    /** A split scan and its summary tables. */
    public record Prepared(ScanResult scan, ManifestSummary summary) {
    }
}
