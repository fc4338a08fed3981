package io.img2rec.bench;

import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.ForwardEngine;
import io.img2rec.core.model.ForwardLayout;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.InferenceTrunk;
import io.img2rec.core.model.TrunkHeadSplit;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Forward-only passes of NCHW-trained networks in each layout, interleaved round by round in one JVM: the training
 * cache fill (the frozen trunk below the last 5 layers, batch 16, {@link InferenceTrunk} as the cache runs it: NCHW
 * as trained vs an NHWC twin with inputs and outputs permuted) and the whole network at batch 1 and 16 (the NCHW
 * graph vs serving's single-model path: the base as an NHWC twin, the top as trained); then the same cache fill and
 * serving path with the NHWC twin against oneDNN called directly ({@code ForwardEngine}). Records the largest
 * relative difference of the outputs.
 */
final class LayoutBench {
    private static final ForwardLayout NHWC = new ForwardLayout(Optional.of(CNN2DFormat.NHWC), "bench");
    private static final ForwardLayout TRAINED = ForwardLayout.asTrained("bench");
    private static final ForwardEngine ONEDNN = ForwardEngine.oneDnn("bench", true);
    private static final ForwardEngine DIRECT = ForwardEngine.oneDnn("bench", false);

    private LayoutBench() {
    }

    private record Case(String name, String variant, int batch, Supplier<INDArray[]> run) {
    }

    static List<Measurement> run(BenchSize size, List<Backbone> backbones) {
        List<Measurement> out = new ArrayList<>();
        for (Backbone backbone : backbones) {
            int side = BenchModels.inputSize(backbone, size);
            ComputationGraph nchw = BenchModels.full(backbone, size, CNN2DFormat.NCHW, WorkspaceMode.ENABLED);
            FreezePlan plan = GraphTopology.of(nchw.getConfiguration()).lastLayersTrainable(TrainStepBench.TRAINABLE_LAYERS);
            // serving's single-model path: the base as an NHWC twin, the top as trained (Dl4jScoringModel)
            FreezePlan topOnly = GraphTopology.of(nchw.getConfiguration()).lastLayersTrainable(1);
            try (TrunkHeadSplit split = TrunkHeadSplit.of(nchw, plan);
                 InferenceTrunk asTrained = InferenceTrunk.of(split.trunk(), TRAINED);
                 InferenceTrunk twin = InferenceTrunk.of(split.trunk(), NHWC);
                 TrunkHeadSplit served = TrunkHeadSplit.of(nchw, topOnly);
                 InferenceTrunk servedBase = InferenceTrunk.of(served.trunk(), NHWC);
                 InferenceTrunk direct = InferenceTrunk.of(split.trunk(), TRAINED, ONEDNN);
                 InferenceTrunk directOnly = InferenceTrunk.of(split.trunk(), TRAINED, DIRECT);
                 InferenceTrunk directBase = InferenceTrunk.of(served.trunk(), TRAINED, ONEDNN)) {
                String arch = backbone.configName() + "@" + side;
                INDArray b16 = BenchModels.images(size.batch(), side, CNN2DFormat.NCHW, 7);
                INDArray b1 = BenchModels.images(1, side, CNN2DFormat.NCHW, 8);
                List<List<Case>> pairs = List.of(
                        List.of(new Case("cache_fill/" + arch + "/b" + size.batch(), "NCHW (as trained)", size.batch(),
                                        () -> asTrained.output(b16)),
                                new Case("cache_fill/" + arch + "/b" + size.batch(), "NHWC twin (permuted in and out)",
                                        size.batch(), () -> twin.output(b16))),
                        List.of(new Case("forward/" + arch + "/b1", "NCHW graph", 1,
                                        () -> new INDArray[] {nchw.outputSingle(false, b1)}),
                                new Case("forward/" + arch + "/b1", "NHWC base twin + NCHW top", 1,
                                        () -> served.head().output(false, servedBase.output(b1)))),
                        List.of(new Case("forward/" + arch + "/b" + size.batch(), "NCHW graph", size.batch(),
                                        () -> new INDArray[] {nchw.outputSingle(false, b16)}),
                                new Case("forward/" + arch + "/b" + size.batch(), "NHWC base twin + NCHW top",
                                        size.batch(), () -> served.head().output(false, servedBase.output(b16)))),
                        // oneDNN's direct kernels only against Winograd where it has it (the default)
                        List.of(new Case("cache_fill/" + arch + "/b" + size.batch(), "oneDNN, direct convolutions",
                                        size.batch(), () -> directOnly.output(b16)),
                                new Case("cache_fill/" + arch + "/b" + size.batch(), "oneDNN, Winograd where it has it",
                                        size.batch(), () -> direct.output(b16))),
                        // the NHWC twin (DL4J's layers) against oneDNN called directly (ForwardEngine)
                        List.of(new Case("cache_fill/" + arch + "/b" + size.batch(), "NHWC twin (permuted in and out)",
                                        size.batch(), () -> twin.output(b16)),
                                new Case("cache_fill/" + arch + "/b" + size.batch(), "oneDNN (Winograd where it has it)", size.batch(),
                                        () -> direct.output(b16))),
                        List.of(new Case("forward/" + arch + "/b1", "NHWC base twin + NCHW top", 1,
                                        () -> served.head().output(false, servedBase.output(b1))),
                                new Case("forward/" + arch + "/b1", "oneDNN base + NCHW top", 1,
                                        () -> served.head().output(false, directBase.output(b1)))),
                        List.of(new Case("forward/" + arch + "/b" + size.batch(), "NHWC base twin + NCHW top",
                                        size.batch(), () -> served.head().output(false, servedBase.output(b16))),
                                new Case("forward/" + arch + "/b" + size.batch(), "oneDNN base + NCHW top",
                                        size.batch(), () -> served.head().output(false, directBase.output(b16)))));
                for (List<Case> pair : pairs) {
                    double diff = relativeDifference(pair.get(0).run().get(), pair.get(1).run().get()); // + warm-up
                    for (int w = 0; w < size.warmup(); w++) { // workspaces settle over the first calls
                        pair.forEach(c -> c.run().get()[0].getDouble(0));
                    }
                    int reps = pair.get(0).batch() == 1 ? Math.max(size.rounds(), 5) * 2 : size.rounds();
                    double[][] seconds = new double[2][reps];
                    for (int r = 0; r < reps; r++) {
                        for (int k = 0; k < 2; k++) {
                            int which = (r % 2 == 0) ? k : 1 - k; // who goes first alternates
                            long t0 = System.nanoTime();
                            INDArray[] result = pair.get(which).run().get();
                            result[0].getDouble(0);
                            seconds[which][r] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    Measurement before = Measurement.timed("layout", pair.get(0).name(), pair.get(0).variant(),
                            pair.get(0).batch(), seconds[0]);
                    Measurement timedAfter = Measurement.timed("layout", pair.get(1).name(), pair.get(1).variant(),
                            pair.get(1).batch(), seconds[1]);
                    Measurement after = timedAfter.with("max_relative_diff", diff)
                            .with("speedup", before.medianSeconds() / timedAfter.medianSeconds());
                    Progress.log(before);
                    Progress.log(after);
                    System.err.printf(Locale.ROOT, "[bench] %s: %s / %s %.2fx, max relative difference %.2e%n",
                            pair.get(0).name(), pair.get(1).variant(), pair.get(0).variant(),
                            before.medianSeconds() / after.medianSeconds(), diff);
                    out.add(before);
                    out.add(after);
                }
            } finally {
                nchw.close();
            }
        }
        return out;
    }

    /** max |a - b| / max |a| over all outputs (NCHW reference first; shapes equal). */
    private static double relativeDifference(INDArray[] a, INDArray[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(a[i].amaxNumber().doubleValue(), 1e-12);
            worst = Math.max(worst, a[i].sub(b[i]).amaxNumber().doubleValue() / scale);
        }
        return worst;
    }
}
