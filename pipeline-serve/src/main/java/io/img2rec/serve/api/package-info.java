/**
 * The library API: {@link io.img2rec.serve.api.Recommender}, built once from a model registry and a face detector,
 * turns images, folders and folders of folders into results and recommendations; thread-safe.
 */
package io.img2rec.serve.api;
