package io.img2rec.train.checkpoint;

import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.run.RunLayout;
import java.util.Objects;

/**
 * The names of one model's checkpoints: {@code <architecture>-<model>-<slot suffix>}, e.g.
 * {@code vgg16-hat-best}; and the model's key in logs and seeds, {@code <architecture>/<model>}.
 *
 * @param architecture the architecture's config name, e.g. {@code vgg16}
 * @param model        the model's name: its label, or {@code multilabel}
 */
public record CheckpointNames(String architecture, String model) {
    public CheckpointNames {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(model, "model");
    }

    public String name(CheckpointSlot slot) {
        return RunLayout.checkpointName(architecture, model, slot);
    }

    /** @return e.g. {@code vgg16/hat}; part of every epoch's seed path, so it must not change */
    public String key() {
        return architecture + "/" + model;
    }
}
