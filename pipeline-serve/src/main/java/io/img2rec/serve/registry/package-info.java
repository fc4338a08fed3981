/**
 * The model registry: finds the servable best checkpoints in run or model folders through their sidecars, checks
 * that they form a consistent set covering every label, and loads them as scoring models.
 */
package io.img2rec.serve.registry;
