package io.img2rec.core.cli;

import io.img2rec.core.config.ConfigException;
import io.img2rec.core.config.ConfigLoader;
import io.img2rec.core.config.ConfigLocator;
import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.dataset.DatasetScan;
import io.img2rec.core.manifest.ManifestCsv;
import io.img2rec.core.manifest.ManifestException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code mvn -pl pipeline-core exec:java -Dexec.args="--config vgg16.yaml --out manifests/sample"}: scans a
 * config's dataset, splits it as training would, and writes {@code manifest.csv}, {@code rejected.csv} and the
 * summary tables, without training anything. Config keys can be overridden as {@code -Ddata.root=...}.
 */
@Command(name = "manifest", mixinStandardHelpOptions = true,
        description = "Scan labelled image folders into manifest.csv + rejected.csv + summary tables, split included.")
public final class ManifestCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "vgg16.yaml", description = "config name in configs/ or a path")
    String config;

    @Option(names = "--out", required = true, description = "folder for manifest.csv, rejected.csv and summary/")
    Path out;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Override
    public Integer call() throws ConfigException, ManifestException, IOException {
        Path projectRoot = ConfigLocator.projectRoot(Path.of(""));
        PipelineConfig c = ConfigLoader.load(ConfigLocator.resolve(config, projectRoot),
                ConfigLoader.overridesFrom(System.getProperties()));
        Path root = c.data().root().isAbsolute() ? c.data().root() : projectRoot.resolve(c.data().root());
        DatasetScan.Prepared prepared = DatasetScan.run(c, root, out, !noProgress);
        prepared.summary().print(System.out);
        System.out.println("wrote " + out.resolve(ManifestCsv.MANIFEST_FILE) + " (" + prepared.scan().manifest().size()
                + " images, " + prepared.scan().rejected().size() + " rejected)");
        return 0;
    }

    public static void main(String[] args) {
        int status = new CommandLine(new ManifestCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("manifest: " + e.getMessage());
                    return 2;
                })
                .execute(args);
        System.exit(status);
    }
}
