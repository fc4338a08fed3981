package io.img2rec.eval.api;

/** A run folder could not be read for evaluation; the message names the file and what to do. */
public class EvaluationException extends Exception {
    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
