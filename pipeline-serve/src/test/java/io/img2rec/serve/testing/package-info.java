/** Test fixtures for serving: tiny checkpoints written by the project's own code, and fake scoring models. */
package io.img2rec.serve.testing;
