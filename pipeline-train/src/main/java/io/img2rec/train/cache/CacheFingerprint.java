package io.img2rec.train.cache;

import io.img2rec.core.config.ConfigKeys;
import io.img2rec.core.config.ConfigWriter;
import io.img2rec.core.config.PipelineConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the frozen trunk's cached activations depend on, so that a cache filled elsewhere (Spark) is used only
 * by a run that would have computed the same one: the config values that shape the inputs and the trunk, the
 * effective number of augmented copies, the item plan (images by content hash, copies, order, batch size), the
 * boundary vertices and a digest of the trunk's weights (which covers ImageNet, a weights file or the seeded
 * random initialisation alike). Execution settings (threads, memory, paths) are not part of it.
 *
 * @param config             the identity keys that decide the activations, as {@code ConfigWriter.values} shows them
 * @param copies             augmented copies per training image
 * @param images             images in the plan
 * @param items              items in the plan
 * @param planSha256         {@link CachePlan#digest()}
 * @param boundary           the trunk's output vertices
 * @param trunkWeightsSha256 {@link #weightsDigest(ComputationGraph)} of the trunk
 */
public record CacheFingerprint(Map<String, String> config, int copies, int images, int items, String planSha256,
                               List<String> boundary, String trunkWeightsSha256) {
    /** The keys that shape the trunk's inputs and outputs (the weights themselves are in the digest). */
    private static final List<String> TRUNK_KEYS = List.of("seed", "model.architecture", "model.input_size",
            "model.preprocessing", "model.resize", "model.data_format", "model.unfrozen_layers", "train.batch_size");
    /** The augmentation keys, part of the fingerprint only when there are copies. */
    private static final String AUGMENT_SECTION = "augment.";

    static {
        for (String key : TRUNK_KEYS) {
            if (ConfigKeys.find(key).isEmpty()) {
                throw new IllegalStateException("CacheFingerprint names " + key + ", which ConfigKeys does not declare");
            }
        }
    }

    public CacheFingerprint {
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(config, "config")));
        boundary = List.copyOf(boundary);
        Objects.requireNonNull(planSha256, "planSha256");
        Objects.requireNonNull(trunkWeightsSha256, "trunkWeightsSha256");
    }

    /** The fingerprint of the cache a run with {@code config} computes for {@code plan} with {@code trunk}. */
    public static CacheFingerprint of(PipelineConfig config, CachePlan plan, ComputationGraph trunk,
                                      List<String> boundary) {
        Map<String, String> values = ConfigWriter.values(config);
        Map<String, String> kept = new LinkedHashMap<>();
        for (String key : TRUNK_KEYS) {
            kept.put(key, values.get(key));
        }
        if (plan.copies() > 0) {
            values.forEach((key, value) -> {
                if (key.startsWith(AUGMENT_SECTION)) {
                    kept.put(key, value);
                }
            });
        }
        return new CacheFingerprint(kept, plan.copies(), plan.images(), plan.items().size(), plan.digest(), boundary,
                weightsDigest(trunk));
    }

    /** SHA-256 of a network's parameters as little-endian float32, in DL4J's flattened order. */
    public static String weightsDigest(ComputationGraph network) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        INDArray params = network.params();
        if (params != null && params.length() > 0) {
            float[] values = params.castTo(DataType.FLOAT).dup('c').data().asFloat();
            ByteBuffer bytes = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                if (!bytes.hasRemaining()) {
                    digest.update(bytes.array(), 0, bytes.position());
                    bytes.clear();
                }
                bytes.putFloat(v);
            }
            digest.update(bytes.array(), 0, bytes.position());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * What differs between this fingerprint (the cache's) and {@code expected} (the run's), one line per field,
     * naming the config key where there is one; empty when they match.
     */
    public List<String> differencesFrom(CacheFingerprint expected) {
        List<String> out = new ArrayList<>();
        var keys = new java.util.TreeSet<>(config.keySet());
        keys.addAll(expected.config.keySet());
        for (String key : keys) {
            String mine = config.getOrDefault(key, "(not recorded)");
            String theirs = expected.config.getOrDefault(key, "(not recorded)");
            if (!mine.equals(theirs)) {
                out.add(key + ": " + mine + " in the shards, " + theirs + " in this config");
            }
        }
        if (copies != expected.copies) {
            out.add("augmented copies per training image: " + copies + " in the shards, " + expected.copies
                    + " here (augment.copies, augment.enabled, train.fine_tune.epochs)");
        }
        if (images != expected.images || items != expected.items || !planSha256.equals(expected.planSha256)) {
            out.add("item plan: " + images + " images / " + items + " items (plan " + shortHash(planSha256)
                    + ") in the shards, " + expected.images + " / " + expected.items + " (plan "
                    + shortHash(expected.planSha256) + ") here: another manifest, split or batch size");
        }
        if (!boundary.equals(expected.boundary)) {
            out.add("trunk boundary: " + boundary + " in the shards, " + expected.boundary + " here");
        }
        if (!trunkWeightsSha256.equals(expected.trunkWeightsSha256)) {
            out.add("trunk weights: sha256 " + shortHash(trunkWeightsSha256) + " in the shards, "
                    + shortHash(expected.trunkWeightsSha256) + " here (model.weights, or another weights file)");
        }
        return out;
    }

    private static String shortHash(String hex) {
        return hex.length() > 12 ? hex.substring(0, 12) + "…" : hex;
    }
}
