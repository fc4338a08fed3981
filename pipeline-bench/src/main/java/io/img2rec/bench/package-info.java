/**
 * The benchmark runner behind {@code bench/run.sh}: forward passes, training steps, the two-phase training with and
 * without the frozen-trunk cache, shared-trunk serving and peak memory, written as JSON lines for the report.
 */
package io.img2rec.bench;
