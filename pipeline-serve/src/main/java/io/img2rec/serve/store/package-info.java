/**
 * The profile store: each profile's images (by content hash), their per-label scores and the recommendation
 * recomputed from them, updated atomically, in a SQLite file or a PostgreSQL database shared by several servers.
 */
package io.img2rec.serve.store;
