/**
 * Internal. Training on cached activations: class weights, seeded epochs, the epoch loop shared by phase 1 (top
 * model) and phase 2 (fine-tuning), validation metrics.
 */
package io.img2rec.train.loop;
