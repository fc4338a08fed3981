/** The run folder and the files the trainer writes into it: epoch metrics, predictions, summary, progress. */
package io.img2rec.train.run;
