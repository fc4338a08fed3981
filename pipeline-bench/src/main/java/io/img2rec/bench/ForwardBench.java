package io.img2rec.bench;

import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.ForwardEngine;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.InferenceTrunk;
import io.img2rec.core.model.TrunkHeadSplit;
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
            out.addAll(served(size, backbone, side, workspaces));
        }
        return out;
    }

    /** The variant label of serving's single-model path; {@code bench/report.py} compares it with PyTorch. */
    static final String SERVED = "served";

    /**
     * Serving's single-model path (what {@code Dl4jScoringModel} runs): the convolutional base on this host's forward
     * engine ({@code InferenceTrunk.of}: oneDNN called directly where it loads), the top as trained, at batch 1 and
     * the large batch. Records the largest relative difference from the whole NCHW graph's output.
     */
    private static List<Measurement> served(BenchSize size, Backbone backbone, int side, WorkspaceMode workspaces) {
        List<Measurement> out = new ArrayList<>();
        CNN2DFormat trained = BenchModels.trainingLayout(backbone);
        ComputationGraph graph = BenchModels.full(backbone, size, trained, workspaces);
        FreezePlan topOnly = GraphTopology.of(graph.getConfiguration()).lastLayersTrainable(1);
        try (TrunkHeadSplit split = TrunkHeadSplit.of(graph, topOnly);
             InferenceTrunk base = InferenceTrunk.of(split.trunk(), ForwardEngine.Use.SERVING)) {
            String how = SERVED + (base.runsOneDnn() ? " (oneDNN base + top)" : " (DL4J base + top)");
            for (int batch : List.of(1, size.batch())) {
                INDArray input = BenchModels.images(batch, side, trained, 7);
                INDArray whole = graph.outputSingle(false, input);
                INDArray[] boundary = base.output(input);
                INDArray result = split.head().output(false, boundary)[0];
                double diff = whole.sub(result).amaxNumber().doubleValue()
                        / Math.max(whole.amaxNumber().doubleValue(), 1e-12);
                int reps = batch == 1 ? Math.max(size.rounds(), 5) : size.rounds();
                double[] seconds = RoundTimer.time(Math.max(size.warmup(), batch == 1 ? 2 : 0), reps, () -> {
                    INDArray[] b = base.output(input);
                    INDArray r = split.head().output(false, b)[0];
                    r.getDouble(0);
                    for (INDArray a : b) {
                        a.close();
                    }
                });
                Measurement m = Measurement.timed("forward",
                                String.format(Locale.ROOT, "forward/%s@%d/b%d", backbone.configName(), side, batch),
                                SERVED, batch, seconds)
                        .with("how", how + "; " + base.describe())
                        .with("output_shape", Arrays.toString(result.shape()))
                        .with("max_relative_diff", diff);
                out.add(m);
                Progress.log(m);
                input.close();
            }
        } finally {
            graph.close();
        }
        return out;
    }
}
