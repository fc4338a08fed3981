/**
 * The main job ({@code mvn -pl pipeline-train exec:java -Dconfig=vgg16.yaml}): manifest → split → frozen-trunk
 * cache → phase 1 (top model) → phase 2 (fine-tuning) per label → checkpoints → evaluation, in a run folder.
 */
package io.img2rec.train;
