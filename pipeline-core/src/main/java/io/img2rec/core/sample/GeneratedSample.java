package io.img2rec.core.sample;

import java.util.Set;

/**
 * One portrait the generator wrote.
 *
 * @param fileName the name it has in every folder it was written to, e.g. {@code img_0007.png}
 * @param labels   its labels; empty when it was written to {@code none/}
 * @param spec     what was painted
 */
public record GeneratedSample(String fileName, Set<Accessory> labels, PortraitSpec spec) {

    public GeneratedSample {
        labels = Set.copyOf(labels);
    }
}
