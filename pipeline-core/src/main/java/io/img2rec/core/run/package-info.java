/**
 * The run folder ({@code runs/<yyyyMMdd-HHmmss>-<config>/}) and its files: {@link io.img2rec.core.run.RunLayout}
 * names every file and checkpoint; each file's writer and reader live together in one class here.
 */
package io.img2rec.core.run;
