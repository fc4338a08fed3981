/**
 * Test fixtures for serving: tiny checkpoints written by the project's own code, fake scoring models, child-JVM
 * servers, load clients, and a real throw-away PostgreSQL server for the profile store tests.
 */
package io.img2rec.serve.testing;
