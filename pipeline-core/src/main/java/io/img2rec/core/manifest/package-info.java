/**
 * Dataset folders to an immutable {@link io.img2rec.core.manifest.Manifest}: the scanner, header-only image checks,
 * the {@code manifest.csv} / {@code rejected.csv} formats and a Tablesaw summary of what was found.
 */
package io.img2rec.core.manifest;
