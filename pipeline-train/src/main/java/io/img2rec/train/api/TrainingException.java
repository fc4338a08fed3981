package io.img2rec.train.api;

/**
 * A training run could not be done: the config, the dataset, the starting weights or a file of the run folder
 * (the message names which and what to change; the cause carries the original error).
 */
public class TrainingException extends Exception {
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }

    public TrainingException(String message) {
        super(message);
    }
}
