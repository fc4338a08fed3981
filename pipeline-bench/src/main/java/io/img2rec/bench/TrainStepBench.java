package io.img2rec.bench;

import io.img2rec.core.config.OptimizerConfig;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.FreezePlan;
import io.img2rec.core.model.GraphTopology;
import io.img2rec.core.model.TrainingBatchNorms;
import io.img2rec.core.model.TrunkHeadSplit;
import io.img2rec.core.nativeio.BlasThreads;
import io.img2rec.core.nativeio.ForwardOnlyHelpers;
import io.img2rec.train.loop.HeadTrainer;
import io.img2rec.train.loop.Optimizers;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fine-tuning step at the large batch with the last 5 layers (last block + top) trainable, SGD with momentum:
 * as our trainer does it (the head graph fitted on cached boundary activations), and like for like with PyTorch (the
 * whole network with frozen layers, every step running the frozen layers forward). Each in both layouts: NCHW, the
 * configs' default, where oneDNN runs forward and backward, and NHWC, where oneDNN runs the forward pass and DL4J's
 * own code the backward ({@link ForwardOnlyHelpers}: M2.1's oneDNN backward is wrong in NHWC), as training does.
 */
final class TrainStepBench {
    static final int TRAINABLE_LAYERS = 5;
    static final OptimizerConfig SGD_MOMENTUM = new OptimizerConfig(OptimizerConfig.Kind.SGD_MOMENTUM, 1e-4, 0.9);
    /** The layouts timed, the configs' default ({@code model.data_format: nchw}) first. */
    static final List<CNN2DFormat> LAYOUTS = List.of(CNN2DFormat.NCHW, CNN2DFormat.NHWC);

    private TrainStepBench() {
    }

    static List<Measurement> run(BenchSize size, List<Backbone> backbones) {
        List<Measurement> out = new ArrayList<>();
        for (Backbone backbone : backbones) {
            for (CNN2DFormat layout : LAYOUTS) {
                out.addAll(run(size, backbone, layout));
            }
        }
        return out;
    }

    /** The variant label of a training case: what computes the backward pass in this layout. */
    static String variant(String what, CNN2DFormat layout) {
        return what + (layout == CNN2DFormat.NCHW ? " (NCHW, oneDNN backward)" : " (NHWC, DL4J backward)");
    }

    private static List<Measurement> run(BenchSize size, Backbone backbone, CNN2DFormat layout) {
        List<Measurement> out = new ArrayList<>();
        int batch = size.batch();
        int side = BenchModels.inputSize(backbone, size);
        String prefix = String.format(Locale.ROOT, "train_step/%s@%d/b%d", backbone.configName(), side, batch);
        ComputationGraph full = BenchModels.full(backbone, size, layout, WorkspaceMode.ENABLED);
        FreezePlan plan = GraphTopology.of(full.getConfiguration()).lastLayersTrainable(TRAINABLE_LAYERS);
        INDArray x = BenchModels.images(batch, side, layout, 3);
        INDArray y = BenchModels.labels(batch);
        try (TrunkHeadSplit split = TrunkHeadSplit.of(full, plan)) {
            INDArray[][] boundary = new INDArray[1][];
            double[] trunkSeconds = RoundTimer.time(size.warmup(), size.rounds(),
                    () -> boundary[0] = split.trunkActivations(x));
            out.add(log(Measurement.timed("train_step", prefix + "/cache_fill",
                    variant("trunk forward once per image", layout), batch, trunkSeconds)
                    .with("boundary", plan.boundary())));
            ComputationGraph head = Optimizers.apply(split.head().clone(), SGD_MOMENTUM);
            boolean direct = HeadTrainer.prepare(head).layers() > 0; // as phase 2 trains it
            boolean batchNorms = TrainingBatchNorms.install(head).layers() > 0; // idempotent: what prepare did
            MultiDataSet data = new MultiDataSet(boundary[0], new INDArray[] {y});
            double[] headSeconds;
            try (BlasThreads blas = BlasThreads.limitProcess(1)) { // as HeadTrainer's epochs run
                headSeconds = RoundTimer.time(size.warmup() + 1, size.rounds(), () -> head.fit(data));
            }
            String what = "head on cached activations" + (direct ? ", convolutions" : "")
                    + (direct && batchNorms ? " and batch norms" : batchNorms ? ", batch norms" : "")
                    + (direct || batchNorms ? " on oneDNN directly" : "");
            out.add(log(Measurement.timed("train_step", prefix + "/cached_head", variant(what, layout), batch,
                    headSeconds).with("score", head.score())));
            head.close();
        }
        ComputationGraph whole = new TransferLearning.GraphBuilder(full)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(Optimizers.of(SGD_MOMENTUM))
                        .build())
                .setFeatureExtractor(plan.boundary().toArray(String[]::new))
                .build();
        ForwardOnlyHelpers.install(whole);
        MultiDataSet data = new MultiDataSet(new INDArray[] {x}, new INDArray[] {y});
        double[] wholeSeconds = RoundTimer.time(size.warmup() + 1, size.rounds(), () -> whole.fit(data));
        out.add(log(Measurement.timed("train_step", prefix + "/whole_frozen",
                variant("whole network, frozen layers", layout), batch, wholeSeconds).with("score", whole.score())));
        whole.close();
        full.close();
        return out;
    }

    private static Measurement log(Measurement m) {
        Progress.log(m);
        return m;
    }
}
