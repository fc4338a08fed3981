/**
 * Console output for the command-line layer: progress bars drawn on stderr. The progress bar library (progressbar,
 * an optional dependency) is loaded only here, and only when a bar is asked for and the library is present.
 */
package io.img2rec.core.console;
