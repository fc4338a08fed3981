package io.img2rec.core.config;

import io.img2rec.core.model.Backbone;

import java.util.Optional;
import java.util.function.Function;

/**
 * One config key, declared once in {@link ConfigKeys}: its dotted name (as written in YAML and as {@code -D}
 * overrides name it), its type and allowed values, its default (which may depend on the architecture), one line
 * of documentation, and whether it belongs to the config's identity (the config hash) or is an execution setting
 * of the machine it runs on (threads, memory budget, paths). The loader, the writer, the overrides and the
 * defaults listing all read these declarations.
 *
 * @param <T> the value's Java type
 */
public final class ConfigKey<T> {
    private final String path;
    private final ConfigType<T> type;
    private final Function<Backbone, T> defaults;
    private final Function<PipelineConfig, T> value;
    private final String doc;
    private final boolean identity;
    private final ConfigKey<T> shorthand;

    ConfigKey(String path, ConfigType<T> type, Function<Backbone, T> defaults, Function<PipelineConfig, T> value,
              String doc, boolean identity, ConfigKey<T> shorthand) {
        this.path = path;
        this.type = type;
        this.defaults = defaults;
        this.value = value;
        this.doc = doc;
        this.identity = identity;
        this.shorthand = shorthand;
    }

    /** The dotted name, e.g. {@code data.max_pixels}. */
    public String path() {
        return path;
    }

    /** The last segment, as it appears in its YAML section, e.g. {@code max_pixels}. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** The dotted section holding the key ({@code data}), or empty for a top-level key. */
    public String section() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    /** One line saying what the key does. */
    public String doc() {
        return doc;
    }

    /** What is allowed, e.g. "a whole number from 1 to 4096". */
    public String allowed() {
        return type.allowed();
    }

    /** Whether the value is part of the config hash; {@code false} for execution settings such as thread counts. */
    public boolean identity() {
        return identity;
    }

    /**
     * Whether the key is written to a resolved {@code config.yaml}; a shorthand such as {@code train.epochs}
     * (which sets both phases) is read but not written, its effect being in the keys it sets.
     */
    public boolean written() {
        return value != null;
    }

    /** The default for a base, as YAML text; empty for a key that has none (a shorthand). */
    public Optional<String> defaultText(Backbone backbone) {
        return defaults == null ? Optional.empty() : Optional.of(type.show(defaults.apply(backbone)));
    }

    ConfigType<T> type() {
        return type;
    }

    /** The default for a base; {@code null} for a shorthand. */
    T defaultFor(Backbone backbone) {
        return defaults == null ? null : defaults.apply(backbone);
    }

    /** The key's value in a config (for writing it); only for {@link #written()} keys. */
    T valueIn(PipelineConfig config) {
        return value.apply(config);
    }

    /** The key read in place of this one when this one is not given at the same level (file or command line). */
    ConfigKey<T> shorthand() {
        return shorthand;
    }

    /** Checks a value given in code, as record constructors do: the message names this key. */
    T check(T given) {
        return type.check(path, given);
    }

    @Override
    public String toString() {
        return path;
    }
}
