/** Where an artifact came from: config and data hashes, seed, code and library versions, backend, time. */
package io.img2rec.core.provenance;
