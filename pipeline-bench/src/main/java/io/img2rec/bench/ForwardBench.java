package io.img2rec.bench;

import io.img2rec.core.model.Backbone;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Forward passes (inference mode) of VGG16 and ResNet50 with the default top, per layout and helper setting. */
final class ForwardBench {

    /** One way of running the forward pass; batch 1 is timed only where {@code batchOne}. */
    record Variant(CNN2DFormat format, boolean helpers, boolean batchOne, int maxRounds) {
        String label() {
            return format + (helpers ? " helpers" : " no-helpers");
        }
    }

    /** The default path (NHWC + helpers) at both batch sizes, then the other layouts/settings at the large batch. */
    static final List<Variant> DEFAULT_VARIANTS = List.of(
            new Variant(CNN2DFormat.NHWC, true, true, Integer.MAX_VALUE),
            new Variant(CNN2DFormat.NCHW, true, false, Integer.MAX_VALUE),
            new Variant(CNN2DFormat.NHWC, false, false, 1),
            new Variant(CNN2DFormat.NCHW, false, false, 1));

    private ForwardBench() {
    }

    static List<Measurement> run(BenchSize size, List<Variant> variants, WorkspaceMode workspaces,
                                 List<Backbone> backbones) {
        List<Measurement> out = new ArrayList<>();
        for (Backbone backbone : backbones) {
            int side = BenchModels.inputSize(backbone, size);
            for (Variant v : variants) {
                ComputationGraph graph = HelperSwitch.build(v.helpers(),
                        () -> BenchModels.full(backbone, size, v.format(), workspaces));
                long macs = MultiplyAdds.perImage(graph.getConfiguration(),
                        InputType.convolutional(side, side, 3, v.format()));
                List<Integer> batches = v.batchOne() ? List.of(1, size.batch()) : List.of(size.batch());
                for (int batch : batches) {
                    INDArray input = BenchModels.images(batch, side, v.format(), 7);
                    long[][] shape = new long[1][];
                    int rounds = Math.min(size.rounds(), v.maxRounds());
                    // batch 1 is quick: more repetitions give a steadier median
                    int reps = batch == 1 ? Math.max(rounds, 5) : rounds;
                    double[] seconds = RoundTimer.time(Math.max(size.warmup(), batch == 1 ? 2 : 0), reps, () -> {
                        INDArray result = graph.outputSingle(false, input);
                        shape[0] = result.shape();
                        result.getDouble(0); // reads the result: nothing is left pending
                    });
                    Measurement m = Measurement.timed("forward",
                                    String.format(Locale.ROOT, "forward/%s@%d/b%d", backbone.configName(), side, batch),
                                    v.label() + (workspaces == WorkspaceMode.ENABLED ? "" : " ws=" + workspaces),
                                    batch, seconds)
                            .with("output_shape", Arrays.toString(shape[0]))
                            .with("gmac_per_image", macs / 1e9);
                    out.add(m.with("gflops", 2.0 * macs * m.imagesPerSecond() / 1e9));
                    Progress.log(out.get(out.size() - 1));
                    input.close();
                }
                graph.close();
            }
        }
        return out;
    }
}
