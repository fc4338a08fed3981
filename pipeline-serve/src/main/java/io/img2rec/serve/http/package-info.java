/**
 * The HTTP JSON API on the JDK's built-in server: recommend for an uploaded image, add images to a profile, read a
 * profile, health; with body-size, pixel and concurrency limits.
 */
package io.img2rec.serve.http;
