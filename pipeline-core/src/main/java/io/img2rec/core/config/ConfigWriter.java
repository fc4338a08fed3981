package io.img2rec.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.img2rec.core.io.Sha256;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link PipelineConfig} back as YAML that {@link ConfigLoader} reads to an equal config (a run's
 * resolved {@code config.yaml}), and hashes it. Both walk the key declarations of {@link ConfigKeys} in order;
 * the hash leaves out execution settings (threads, memory budget, paths), so one config hashes the same on a
 * 2-core and an 8-core machine.
 */
public final class ConfigWriter {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private ConfigWriter() {
    }

    /** Every written key, execution settings included: what a run's {@code config.yaml} holds. */
    public static String toYaml(PipelineConfig c) {
        return write(toTree(c, false));
    }

    /** The keys that make the config's identity, as YAML: what {@link #hash} hashes. */
    public static String identityYaml(PipelineConfig c) {
        return write(toTree(c, true));
    }

    /** SHA-256 of {@link #identityYaml}: equal configs have equal hashes, whatever machine they run on. */
    public static String hash(PipelineConfig c) {
        return Sha256.of(identityYaml(c));
    }

    /**
     * Every written key's value as one-line YAML text, by dotted name, in declaration order (for records that keep
     * a few keys of a config and messages that compare them, e.g. a cache fingerprint).
     */
    public static Map<String, String> values(PipelineConfig c) {
        var out = new LinkedHashMap<String, String>();
        for (ConfigKey<?> key : ConfigKeys.all()) {
            if (key.written()) {
                out.put(key.path(), shown(key, c));
            }
        }
        return out;
    }

    private static <T> String shown(ConfigKey<T> key, PipelineConfig c) {
        return key.type().show(key.valueIn(c));
    }

    private static String write(Map<String, Object> tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> toTree(PipelineConfig c, boolean identityOnly) {
        var root = new LinkedHashMap<String, Object>();
        for (ConfigKey<?> key : ConfigKeys.all()) {
            if (key.written() && (key.identity() || !identityOnly)) {
                put(root, key.path().split("\\."), yamlValue(key, c));
            }
        }
        return root;
    }

    private static <T> Object yamlValue(ConfigKey<T> key, PipelineConfig c) {
        return key.type().toYaml(key.valueIn(c));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String[] path, Object value) {
        Map<String, Object> section = root;
        for (int i = 0; i < path.length - 1; i++) {
            section = (Map<String, Object>) section.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        }
        section.put(path[path.length - 1], value);
    }
}
