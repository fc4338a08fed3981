/**
 * The profile store: each profile's images (by content hash), their per-label scores and the recommendation
 * recomputed from them, in an embedded SQLite database updated atomically.
 */
package io.img2rec.serve.store;
