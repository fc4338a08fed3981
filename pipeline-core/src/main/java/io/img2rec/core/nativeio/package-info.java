/**
 * The native side of ND4J: {@link io.img2rec.core.nativeio.NativeSetup} (the one process-wide setting img2rec makes,
 * once, from its entry points) and read-only reports of which backend and native library loaded and whether DL4J's
 * oneDNN layer helpers are active.
 */
package io.img2rec.core.nativeio;
