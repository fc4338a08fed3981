/**
 * Typed, immutable pipeline configuration: each key declared once in {@link io.img2rec.core.config.ConfigKeys},
 * records validated in their constructors against those declarations, read from YAML (with {@code -Dkey=value}
 * overrides) in {@link io.img2rec.core.config.ConfigLoader} and written back by
 * {@link io.img2rec.core.config.ConfigWriter}.
 */
package io.img2rec.core.config;
