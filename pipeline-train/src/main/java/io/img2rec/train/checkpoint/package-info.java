/**
 * Internal. The checkpoints of one model: their names and kinds, the sidecars that describe them, when they are
 * written (a policy with no DL4J in it) and where a resumed model starts.
 */
package io.img2rec.train.checkpoint;
