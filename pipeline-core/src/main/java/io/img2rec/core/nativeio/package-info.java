/**
 * The native side of ND4J: {@link io.img2rec.core.nativeio.NativeSetup} (the one process-wide setting img2rec makes,
 * once, from its entry points), read-only reports of which backend and native library loaded and whether DL4J's
 * oneDNN layer helpers are active, {@link io.img2rec.core.nativeio.OpenMpThreads} (a calling thread's OpenMP thread
 * count for a scope, restored when it closes) and {@link io.img2rec.core.nativeio.FloatArrays} (heap floats into a
 * native array in one copy).
 */
package io.img2rec.core.nativeio;
