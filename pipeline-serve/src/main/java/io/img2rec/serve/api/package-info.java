/**
 * The library API: {@link io.img2rec.serve.api.Recommender}, built once from a model registry and a face detector,
 * turns images, folders and folders of folders into results and recommendations, each failed image with a typed
 * {@link io.img2rec.serve.rules.ImageErrorCode}; thread-safe, and closed once with {@code close()}.
 */
package io.img2rec.serve.api;
