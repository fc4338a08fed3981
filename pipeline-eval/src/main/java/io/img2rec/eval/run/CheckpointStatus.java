package io.img2rec.eval.run;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the best checkpoint of one model and label exists in the run's {@code checkpoints/} folder.
 *
 * @param model   architecture name
 * @param label   label name
 * @param zip     the model zip the sidecar names ({@code <model>-<label>-best-<sha prefix>.zip})
 * @param sidecar expected {@code <model>-<label>-best.json}
 */
public record CheckpointStatus(String model, String label, Path zip, Path sidecar, boolean zipExists,
                               boolean sidecarExists) {

    /** Why this checkpoint cannot be used, if it cannot. */
    public Optional<String> missingReason() {
        if (!zipExists && !sidecarExists) {
            return Optional.of("checkpoint " + zip.getFileName() + " and sidecar " + sidecar.getFileName()
                    + " not found in " + zip.getParent());
        }
        if (!zipExists) {
            return Optional.of("checkpoint " + zip.getFileName() + " not found in " + zip.getParent());
        }
        if (!sidecarExists) {
            return Optional.of("sidecar " + sidecar.getFileName() + " not found in " + zip.getParent());
        }
        return Optional.empty();
    }
}
