/**
 * Training on cached activations: class weights, seeded epochs, the epoch loop shared by phase 1 (top model) and
 * phase 2 (fine-tuning), validation metrics and the best/last checkpoint policy.
 */
package io.img2rec.train.loop;
