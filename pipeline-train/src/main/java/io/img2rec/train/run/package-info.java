/** What the trainer adds to the run folder's core format ({@code io.img2rec.core.run}): the epoch log and progress. */
package io.img2rec.train.run;
