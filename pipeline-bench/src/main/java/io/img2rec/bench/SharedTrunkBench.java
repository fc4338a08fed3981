package io.img2rec.bench;

import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.serve.predict.Dl4jScoringModel;
import io.img2rec.serve.predict.ModelCard;
import io.img2rec.serve.predict.ScoringModel;
import io.img2rec.serve.predict.SharedTrunkModel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Six-model prediction per face, as serving runs it: three label models per architecture (VGG16@150 and
 * ResNet50@224) that share their frozen layers and differ in the last 5 layers, scored as pipeline-serve's
 * {@link SharedTrunkModel} (one trunk pass per architecture + three heads) and as six independent networks
 * ({@link Dl4jScoringModel}). Encoding the crops is part of both.
 */
final class SharedTrunkBench {
    static final List<String> LABELS = List.of("eyewear", "hat", "beard");

    private SharedTrunkBench() {
    }

    static List<Measurement> run(BenchSize size, List<Backbone> backbones) {
        List<ScoringModel> shared = new ArrayList<>();
        List<ScoringModel> separate = new ArrayList<>();
        for (Backbone backbone : backbones) {
            build(backbone, size, shared, separate);
        }
        List<RgbImage> crops = crops(size.faces());
        double maxDiff = 0;
        int column = 0;
        List<double[][]> sharedScores = shared.stream().map(m -> m.score(crops)).toList();
        for (int s = 0; s < shared.size(); s++) {
            for (int m = 0; m < LABELS.size(); m++) {
                double[][] alone = separate.get(s * LABELS.size() + m).score(crops);
                for (int c = 0; c < crops.size(); c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(alone[c][0] - sharedScores.get(s)[c][m]));
                }
            }
            column += LABELS.size();
        }
        int models = column;
        double[] separateSeconds = RoundTimer.time(size.warmup(), size.rounds(), () -> separate.forEach(m -> m.score(crops)));
        double[] sharedSeconds = RoundTimer.time(size.warmup(), size.rounds(), () -> shared.forEach(m -> m.score(crops)));
        String name = "serve/" + models + "models/" + size.faces() + "faces";
        Measurement a = Measurement.timed("serve", name + "/separate", models + " independent networks",
                size.faces(), separateSeconds);
        Measurement b = Measurement.timed("serve", name + "/shared", "shared trunk per architecture", size.faces(),
                sharedSeconds);
        b = b.with("max_abs_score_diff", maxDiff).with("speedup", a.medianSeconds() / b.medianSeconds());
        Progress.log(a);
        Progress.log(b);
        shared.forEach(SharedTrunkBench::closeQuietly);
        separate.forEach(SharedTrunkBench::closeQuietly);
        return List.of(a, b);
    }

    private static void build(Backbone backbone, BenchSize size, List<ScoringModel> shared, List<ScoringModel> separate) {
        int side = BenchModels.inputSize(backbone, size);
        CNN2DFormat layout = BenchModels.trainingLayout(backbone); // models are served in the layout they trained in
        ComputationGraph base = BenchModels.full(backbone, size, layout, WorkspaceMode.ENABLED);
        FreezePlan plan = GraphTopology.of(base.getConfiguration()).lastLayersTrainable(TrainStepBench.TRAINABLE_LAYERS);
        Set<String> trainable = new HashSet<>(plan.trainable());
        InputEncoder encoder = new InputEncoder(side,
                backbone == Backbone.RESNET50 ? PixelPreprocessing.CAFFE : PixelPreprocessing.BGR_RESCALE,
                ResizeInterpolation.BILINEAR, TensorLayout.of(layout));
        List<ModelCard> cards = new ArrayList<>();
        List<ComputationGraph> graphs = new ArrayList<>();
        Nd4j.getRandom().setSeed(17);
        for (String label : LABELS) {
            ComputationGraph model = base.clone();
            for (Layer layer : model.getLayers()) {
                if (trainable.contains(layer.conf().getLayer().getLayerName()) && layer.numParams() > 0) {
                    // as after fine-tuning: the last layers differ per label model, the frozen ones do not
                    layer.params().addi(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5).muli(0.01));
                }
            }
            String name = backbone.configName() + "-" + label;
            cards.add(new ModelCard(name, backbone.configName(), List.of(label), Map.of(label, 0.5), encoder, ""));
            graphs.add(model);
        }
        shared.add(SharedTrunkModel.combine(cards, graphs).orElseThrow(() -> new IllegalStateException(
                "the " + backbone.configName() + " label models share no trunk; the benchmark built them wrongly")));
        for (int i = 0; i < cards.size(); i++) {
            separate.add(new Dl4jScoringModel(cards.get(i), graphs.get(i)));
        }
        base.close();
    }

    private static List<RgbImage> crops(int count) {
        Random random = new Random(23);
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[180 * 200 * 3];
            random.nextBytes(pixels);
            crops.add(new RgbImage(180, 200, pixels));
        }
        return crops;
    }

    private static void closeQuietly(ScoringModel model) {
        try {
            model.close();
        } catch (Exception e) {
            System.err.println("[bench] closing " + model.card().name() + ": " + e);
        }
    }
}
