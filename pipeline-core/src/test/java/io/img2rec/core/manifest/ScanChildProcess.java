package io.img2rec.core.manifest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Child JVM for {@link BadInputManifestTest}: scans {@code args[0]} for the labels {@code args[1..]} and prints one
 * line per outcome, {@code kept<TAB>path} or {@code rejected<TAB>path<TAB>reason<TAB>detail}.
 */
public final class ScanChildProcess {
    private ScanChildProcess() {
    }

    public static void main(String[] args) throws ManifestException {
        List<String> labels = Arrays.asList(args).subList(1, args.length);
        ScanResult result = new ManifestScanner(ScanOptions.defaults(labels).withThreads(1), false).scan(Path.of(args[0]));
        result.manifest().entries().forEach(e -> System.out.println("kept\t" + e.path()));
        result.rejected().forEach(r -> System.out.println("rejected\t" + r.path() + "\t" + r.reason() + "\t"
                + r.detail().replace('\t', ' ').replace('\n', ' ')));
    }
}
