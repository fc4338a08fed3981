package io.img2rec.serve.testing;

import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.predict.Dl4jScoringModel;
import io.img2rec.serve.predict.ModelCard;
import io.img2rec.serve.predict.ScoringModel;
import io.img2rec.serve.predict.SharedTrunkModel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times three VGG16@150 label models (random weights; block5 and top differ per model, as after fine-tuning the last
 * 5 layers) scored as three separate networks and as one shared trunk + three heads:
 * {@code mvn -o -q -pl pipeline-serve exec:java -Dexec.classpathScope=test
 * -Dserve.mainClass=io.img2rec.serve.testing.SharedTrunkSpeedProbe -Dexec.args="<crops> <rounds>"}.
 */
public final class SharedTrunkSpeedProbe {
    private SharedTrunkSpeedProbe() {
    }

    public static void main(String[] args) {
        NativeSetup.configure();
        int cropCount = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ComputationGraph base = Backbone.VGG16.architecture().create(new ArchitectureOptions(150, CNN2DFormat.NHWC, 1), 1);
        InputEncoder encoder = new InputEncoder(150, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST,
                TensorLayout.NHWC);
        List<ModelCard> cards = new ArrayList<>();
        List<ComputationGraph> graphs = new ArrayList<>();
        Nd4j.getRandom().setSeed(3);
        for (String label : ServeFixtures.LABELS) {
            ComputationGraph model = base.clone();
            for (Layer layer : model.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                if ((name.startsWith("block5") || !name.startsWith("block")) && layer.numParams() > 0) {
                    layer.params().assign(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5).muli(0.05));
                }
            }
            cards.add(new ModelCard("vgg16-" + label, "vgg16", List.of(label), Map.of(label, 0.5), encoder, ""));
            graphs.add(model);
        }
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < cropCount; i++) {
            crops.add(ImageDecoder.fromBufferedImage(TestImages.noise(180, 200, i)));
        }
        SharedTrunkModel shared = SharedTrunkModel.combine(cards, graphs).orElseThrow();
        List<ScoringModel> separate = new ArrayList<>();
        for (int i = 0; i < cards.size(); i++) {
            separate.add(new Dl4jScoringModel(cards.get(i), graphs.get(i)));
        }
        System.out.println("shared vertices: " + shared.sharedVertices().size() + ", last "
                + shared.sharedVertices().get(shared.sharedVertices().size() - 1));
        double maxDiff = 0;
        double[][] s = shared.score(crops);
        for (int m = 0; m < separate.size(); m++) {
            double[][] o = separate.get(m).score(crops);
            for (int c = 0; c < cropCount; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(o[c][0] - s[c][m]));
            }
        }
        System.out.printf(Locale.ROOT, "max |shared - separate| = %.2e%n", maxDiff);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (ScoringModel model : separate) {
                model.score(crops);
            }
            long t1 = System.nanoTime();
            shared.score(crops);
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "round %d: %d crops, three separate networks %.2f s, shared trunk %.2f s, "
                    + "speed-up %.2fx%n", r + 1, cropCount, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    (double) (t1 - t0) / (t2 - t1));
        }
    }
}
