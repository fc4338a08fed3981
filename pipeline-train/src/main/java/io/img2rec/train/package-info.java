/**
 * Internal: the training run behind {@link io.img2rec.train.api.Training} and the main job
 * ({@code mvn -pl pipeline-train exec:java -Dconfig=vgg16.yaml}): manifest → split → frozen-trunk caches → phase 1
 * (top model) → phase 2 (fine-tuning) per label → checkpoints → predictions, in a run folder.
 */
package io.img2rec.train;
