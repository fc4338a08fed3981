package io.img2rec.train;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.dataset.DatasetScan;
import io.img2rec.core.manifest.Manifest;
import io.img2rec.core.manifest.ManifestCsv;
import io.img2rec.core.manifest.ManifestException;
import io.img2rec.core.manifest.Split;
import io.img2rec.core.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Folders → manifest → split, written into the run folder with {@code rejected.csv} and the summary tables; or,
 * when resuming, the run's own manifest read back (so the split never changes under a model).
 */
public final class DatasetPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetPreparation.class);

    private DatasetPreparation() {
    }

    public static Manifest scanAndSplit(PipelineConfig config, Path datasetRoot, RunLayout run, boolean showProgress)
            throws ManifestException, IOException {
        if (!Files.isDirectory(datasetRoot)) {
            throw new ManifestException("the dataset folder " + datasetRoot + " does not exist: set data.root in the "
                    + "config (or -Ddata.root=<folder>) to a folder with one sub-folder per label " + config.labels());
        }
        DatasetScan.Prepared prepared = DatasetScan.run(config, datasetRoot, run.root(), showProgress);
        Manifest split = prepared.scan().manifest();
        var text = new ByteArrayOutputStream();
        prepared.summary().print(new PrintStream(text, true, StandardCharsets.UTF_8));
        LOG.info("dataset {}: {} images, {} rejected (see rejected.csv)\n{}", datasetRoot, split.size(),
                prepared.scan().rejected().size(), text.toString(StandardCharsets.UTF_8));
        checkUsable(split, config.labels());
        return split;
    }

    public static Manifest readBack(RunLayout run, List<String> labels) throws ManifestException {
        Manifest manifest = ManifestCsv.read(run.manifest(), labels);
        checkUsable(manifest, labels);
        return manifest;
    }

    /** Every label needs positives and negatives in train and validation, or its model cannot be trained or chosen. */
    static void checkUsable(Manifest manifest, List<String> labels) throws ManifestException {
        List<String> problems = new ArrayList<>();
        for (Split split : List.of(Split.TRAIN, Split.VALIDATION)) {
            var entries = manifest.entries(split);
            if (entries.isEmpty()) {
                problems.add("the " + split.code() + " split is empty: add images or change data.split");
                continue;
            }
            for (String label : labels) {
                long positives = entries.stream().filter(e -> e.hasLabel(label)).count();
                if (positives == 0) {
                    problems.add("label '" + label + "' has no positive images in the " + split.code()
                            + " split: add images to its folder (a few dozen at least)");
                } else if (positives == entries.size()) {
                    problems.add("label '" + label + "' has no negative images in the " + split.code()
                            + " split: add images without it (e.g. in a background folder)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException("the dataset cannot train every label:\n  - " + String.join("\n  - ", problems));
        }
    }
}
