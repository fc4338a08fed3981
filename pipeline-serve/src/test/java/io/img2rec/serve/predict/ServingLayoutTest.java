package io.img2rec.serve.predict;

import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.ForwardLayout;
import io.img2rec.core.model.TinyCnnArchitecture;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models trained in NCHW, served with their trunks in NHWC: the scores are those of the NCHW graphs. */
class ServingLayoutTest {
    private static final ForwardLayout NHWC = new ForwardLayout(Optional.of(CNN2DFormat.NHWC), "test");
    private static final ForwardLayout TRAINED = ForwardLayout.asTrained("test");
    private static final List<String> LABELS = List.of("eyewear", "hat", "beard");

    @Test
    void nchwModelsServedThroughAnNhwcTrunkScoreAsTheirNchwGraphs() {
        InputEncoder encoder = new InputEncoder(32, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.BILINEAR,
                TensorLayout.NCHW);
        ComputationGraph base = new TinyCnnArchitecture().create(new ArchitectureOptions(32, CNN2DFormat.NCHW, 1), 1);
        Nd4j.getRandom().setSeed(99);
        List<ModelCard> cards = new ArrayList<>();
        List<ComputationGraph> graphs = new ArrayList<>();
        for (String label : LABELS) {
            ComputationGraph model = base.clone();
            for (Layer layer : model.getLayers()) {
                if (!layer.conf().getLayer().getLayerName().startsWith("tiny") && layer.numParams() > 0) {
                    layer.params().assign(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5));
                }
            }
            cards.add(new ModelCard("tinycnn-" + label, "tinycnn", List.of(label), Map.of(label, 0.5), encoder, ""));
            graphs.add(model);
        }
        List<RgbImage> crops = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 4; i++) {
            byte[] pixels = new byte[40 * 50 * 3];
            random.nextBytes(pixels);
            crops.add(new RgbImage(40, 50, pixels));
        }
        List<ScoringModel> reference = new ArrayList<>();
        List<ScoringModel> nhwcAlone = new ArrayList<>();
        for (int i = 0; i < LABELS.size(); i++) {
            reference.add(new Dl4jScoringModel(cards.get(i), graphs.get(i).clone(), TRAINED));
            nhwcAlone.add(new Dl4jScoringModel(cards.get(i), graphs.get(i).clone(), NHWC));
        }
        try (SharedTrunkModel shared = SharedTrunkModel.combine(cards, graphs, LockedGraphModel.NEW_LOCKS, NHWC)
                .orElseThrow()) {
            assertTrue(shared.trunkLayout().startsWith("in NHWC (a twin of the NCHW graph"), shared.trunkLayout());
            double[][] sharedScores = shared.score(crops);
            for (int m = 0; m < LABELS.size(); m++) {
                double[][] expected = reference.get(m).score(crops);
                double[][] alone = nhwcAlone.get(m).score(crops);
                for (int c = 0; c < crops.size(); c++) {
                    assertEquals(expected[c][0], sharedScores[c][m], 1e-5, "shared trunk, model " + m + " crop " + c);
                    assertEquals(expected[c][0], alone[c][0], 1e-5, "single model, NHWC base, model " + m);
                }
            }
        } finally {
            reference.forEach(ScoringModel::close);
            nhwcAlone.forEach(ScoringModel::close);
            graphs.forEach(ComputationGraph::close);
            base.close();
        }
    }
}
