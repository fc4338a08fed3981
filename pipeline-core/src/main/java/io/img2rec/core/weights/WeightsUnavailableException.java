package io.img2rec.core.weights;

/**
 * ImageNet weights were asked for, none could be found or used, and no random fallback is configured. The message
 * lists where we looked and every way to supply them.
 */
public class WeightsUnavailableException extends WeightsException {

    private static final long serialVersionUID = 1L;

    public WeightsUnavailableException(String message) {
        super(message);
    }
}
