package io.img2rec.core.provenance;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.img2rec.core.weights.WeightsSource;

import java.util.Map;
import java.util.Optional;

/**
 * What made an artifact. Carried by every checkpoint sidecar, run folder and report.
 *
 * @param weightsSource what the base's weights started from, as a sentence for people, e.g.
 *                      {@code imagenet-dl4j-zoo: ImageNet weights of …}, {@code random initialisation …}; kept for
 *                      readers of older files, decide nothing from its text (use {@code weights})
 * @param versions      library and runtime versions (img2rec, dl4j, java, os)
 * @param backend       the ND4J backend and its native build, e.g. {@code CpuBackend (oneDNN helpers on)}
 * @param weights       the same source as a typed value (kind, file, checksum, layers loaded); null in provenance
 *                      written before it was recorded
 */
public record RunProvenance(String configHash, String manifestHash, long seed, String gitCommit,
                            String weightsSource, Map<String, String> versions, String backend, String createdAt,
                            WeightsSource weights) {
    @JsonCreator
    public RunProvenance {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    /** Provenance without a typed weights source (as written before {@code weights} was recorded). */
    public RunProvenance(String configHash, String manifestHash, long seed, String gitCommit, String weightsSource,
                         Map<String, String> versions, String backend, String createdAt) {
        this(configHash, manifestHash, seed, gitCommit, weightsSource, versions, backend, createdAt, null);
    }

    /** @return the typed weights source; empty for provenance written before it was recorded */
    public Optional<WeightsSource> weightsOrigin() {
        return Optional.ofNullable(weights);
    }

    /**
     * @return true when the base started from random initialisation (also as a fallback); for provenance written
     *         before {@code weights} was recorded, read from the sentence those versions wrote (it began with
     *         "random")
     */
    public boolean randomWeights() {
        if (weights != null) {
            return !weights.pretrained();
        }
        return weightsSource != null && weightsSource.startsWith("random");
    }
}
