/**
 * The checkpoint format: a DL4J model zip written atomically plus a JSON sidecar (what the model is, how it
 * was made, the zip's SHA-256) that serving and evaluation read instead of file names.
 */
package io.img2rec.core.checkpoint;
