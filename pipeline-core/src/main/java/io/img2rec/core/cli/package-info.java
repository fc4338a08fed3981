/** Command-line tools of pipeline-core: building a manifest and split from labelled folders without training. */
package io.img2rec.core.cli;
