package io.img2rec.core.provenance;

import java.util.Map;

/**
 * What made an artifact. Carried by every checkpoint sidecar, run folder and report.
 *
 * @param weightsSource what the base's weights started from, e.g. {@code imagenet:dl4j-zoo},
 *                      {@code imagenet:keras-h5:/path}, {@code random (ImageNet weights unavailable: …)}
 * @param versions      library and runtime versions (img2rec, dl4j, java, os)
 * @param backend       the ND4J backend and its native build, e.g. {@code CpuBackend (oneDNN helpers on)}
 */
public record RunProvenance(String configHash, String manifestHash, long seed, String gitCommit,
                            String weightsSource, Map<String, String> versions, String backend, String createdAt) {
    public RunProvenance {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    public boolean randomWeights() {
        return weightsSource != null && weightsSource.startsWith("random");
    }
}
