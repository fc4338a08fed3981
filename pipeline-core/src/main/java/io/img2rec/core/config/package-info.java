/**
 * Typed, immutable pipeline configuration: records validated in their constructors, read from YAML
 * (with {@code -Dkey=value} overrides) in one place, {@link io.img2rec.core.config.ConfigLoader}.
 */
package io.img2rec.core.config;
