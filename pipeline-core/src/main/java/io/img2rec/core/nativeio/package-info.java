/**
 * What the native side of ND4J is doing: which backend and native library loaded, and whether DL4J's
 * oneDNN layer helpers are active. Read-only reports for logs and provenance; nothing here sets global state.
 */
package io.img2rec.core.nativeio;
