/**
 * Runnable measurements (not tests): forward throughput of the architectures with oneDNN helpers on/off and
 * NHWC/NCHW layouts. Run by hand; numbers go to docs/NATIVE-SPEED.md.
 */
package io.img2rec.core.model.bench;
