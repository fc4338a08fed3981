/** The JSON form of serving results: one configured Jackson mapper shared by the CLI and the HTTP API. */
package io.img2rec.serve.json;
