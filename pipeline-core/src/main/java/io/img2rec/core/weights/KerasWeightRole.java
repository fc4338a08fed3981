package io.img2rec.core.weights;

import java.util.Locale;
import java.util.Optional;

/**
 * What a Keras weight array is, recognised from its dataset name: Keras 2 names ({@code block1_conv1/kernel:0},
 * {@code bn_conv1/moving_variance:0}) and Keras 1 names as in the original Applications files
 * ({@code block1_conv1_W_1:0}, {@code bn_conv1_running_std:0} — which holds the variance despite its name).
 */
public enum KerasWeightRole {
    KERNEL, BIAS, GAMMA, BETA, MOVING_MEAN, MOVING_VARIANCE;

    /** @return the role of the dataset {@code path} (its last segment is used), or empty if not recognised */
    public static Optional<KerasWeightRole> ofDatasetName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        name = name.replaceFirst(":\\d+$", "");
        Optional<KerasWeightRole> role = bySuffix(name);
        return role.isPresent() ? role : bySuffix(name.replaceFirst("_\\d+$", ""));
    }

    private static Optional<KerasWeightRole> bySuffix(String name) {
        if (name.endsWith("moving_variance") || name.endsWith("running_std") || name.endsWith("running_var")) {
            return Optional.of(MOVING_VARIANCE);
        }
        if (name.endsWith("moving_mean") || name.endsWith("running_mean")) {
            return Optional.of(MOVING_MEAN);
        }
        if (name.endsWith("gamma")) {
            return Optional.of(GAMMA);
        }
        if (name.endsWith("beta")) {
            return Optional.of(BETA);
        }
        if (name.endsWith("kernel") || name.equals("w") || name.endsWith("_w")) {
            return Optional.of(KERNEL);
        }
        if (name.endsWith("bias") || name.equals("b") || name.endsWith("_b")) {
            return Optional.of(BIAS);
        }
        return Optional.empty();
    }
}
