package io.img2rec.train.checkpoint;

import io.img2rec.core.run.CheckpointSlot;
import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.ResumeState;
import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.train.api.Phase;
import io.img2rec.train.loop.EpochResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SidecarFactoryTest {
    private final RunProvenance provenance = new RunProvenance("c0", "m0", 7, "abc", "random (test)", Map.of(),
            "CpuBackend", "t");
    private final SidecarFactory factory = new SidecarFactory("tiny_cnn", List.of("hat"),
            ModelConfig.defaults(Backbone.TINY_CNN), provenance);

    @Test
    void everySlotWritesTheKindContentsAndPhaseCodesThatFilesHaveAlwaysHad() {
        var result = new EpochResult(Phase.FINE_TUNE, 3, 0.4, 0.5, 0.8, 0.75, 1.0, 60);
        var state = new ResumeState("fine_tune", 3, 0.8, 3, 0, 0.8, false);
        CheckpointSidecar last = factory.forEpoch(CheckpointSlot.LAST, result, Map.of(), state);
        assertEquals(List.of("last", "head", "fine_tune", "3"), List.of(last.kind(), last.contents(), last.phase(),
                Integer.toString(last.epoch())));
        assertEquals(state, last.resumeState());
        assertEquals(CheckpointSidecar.FORMAT_VERSION, last.formatVersion());
        assertEquals(List.of("hat"), last.labels());
        assertEquals(provenance, last.provenance());

        CheckpointSidecar bestHead = factory.forEpoch(CheckpointSlot.BEST_HEAD, result, Map.of("hat", 0.4), null);
        assertEquals(List.of("best", "head"), List.of(bestHead.kind(), bestHead.contents()));
        assertEquals(Map.of("hat", 0.4), bestHead.thresholds());
        assertEquals(Map.of("validation_loss", 0.5, "validation_auc", 0.8, "validation_accuracy", 0.75,
                "train_loss", 0.4), bestHead.metrics());

        CheckpointSidecar servable = SidecarFactory.servable(bestHead.withModel("x.zip", "ab"));
        assertEquals(List.of("best", "full", "fine_tune"), List.of(servable.kind(), servable.contents(),
                servable.phase()));
        assertEquals(bestHead.thresholds(), servable.thresholds());
        assertNull(servable.modelFile(), "the store fills in the new zip");
        assertNull(servable.resumeState());

        var top = new EpochResult(Phase.TOP, 1, 0.7, 0.6, Double.NaN, 0.5, 1.0, 60);
        CheckpointSidecar topBest = factory.forEpoch(CheckpointSlot.TOP_BEST, top, Map.of(), null);
        assertEquals(List.of("top-best", "head", "top"), List.of(topBest.kind(), topBest.contents(), topBest.phase()));
        assertEquals(Map.of("validation_loss", 0.6, "validation_accuracy", 0.5, "train_loss", 0.7), topBest.metrics(),
                "an undefined AUC is left out");
    }
}
