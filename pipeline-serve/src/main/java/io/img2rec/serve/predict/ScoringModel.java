package io.img2rec.serve.predict;

import io.img2rec.core.image.RgbImage;

import java.util.List;

/** A model that scores image crops for the labels of its {@link ModelCard}. Implementations are thread-safe. */
public interface ScoringModel extends AutoCloseable {
    ModelCard card();

    /** One row per crop, one sigmoid score in [0, 1] per label of {@link ModelCard#labels()}. */
    double[][] score(List<RgbImage> crops);

    @Override
    void close();
}
