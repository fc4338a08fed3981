package io.img2rec.bench;

import io.img2rec.core.model.Backbone;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Is the fast number real? The convolutional base (no top, so no sigmoid flattening the differences) run three ways on
 * the same weights and pixels: NHWC with helpers, NHWC without, NCHW with helpers; the feature maps must agree
 * (NCHW permuted to NHWC) and have the expected shapes.
 */
final class NumericCheck {
    private NumericCheck() {
    }

    static List<Measurement> run(BenchSize size, List<Backbone> backbones) {
        List<Measurement> out = new ArrayList<>();
        for (Backbone backbone : backbones) {
            int side = BenchModels.inputSize(backbone, size);
            ComputationGraph fast = HelperSwitch.build(true, () -> BenchModels.base(backbone, size, CNN2DFormat.NHWC));
            ComputationGraph plain = HelperSwitch.build(false, () -> BenchModels.base(backbone, size, CNN2DFormat.NHWC));
            ComputationGraph nchw = HelperSwitch.build(true, () -> BenchModels.base(backbone, size, CNN2DFormat.NCHW));
            plain.setParams(fast.params());
            nchw.setParams(fast.params()); // DL4J keeps convolution weights [out, in, kh, kw] in both layouts
            INDArray x = BenchModels.images(2, side, CNN2DFormat.NHWC, 11);
            INDArray a = fast.outputSingle(false, x);
            INDArray b = plain.outputSingle(false, x);
            INDArray c = nchw.outputSingle(false, x.permute(0, 3, 1, 2).dup('c')).permute(0, 2, 3, 1).dup('c');
            double scale = Math.max(a.amaxNumber().doubleValue(), 1e-30);
            double helperDiff = Transforms.abs(a.sub(b)).maxNumber().doubleValue() / scale;
            double layoutDiff = Transforms.abs(a.sub(c)).maxNumber().doubleValue() / scale;
            Measurement m = new Measurement("check", String.format(Locale.ROOT, "base/%s@%d", backbone.configName(), side),
                    "NHWC helpers vs NHWC no-helpers vs NCHW helpers", 0, new double[0], java.util.Map.of())
                    .with("nhwc_output_shape", Arrays.toString(a.shape()))
                    .with("nchw_output_shape", Arrays.toString(nchw.outputSingle(false,
                            x.permute(0, 3, 1, 2).dup('c')).shape()))
                    .with("max_abs_output", scale)
                    .with("rel_diff_helpers_on_off", helperDiff)
                    .with("rel_diff_nhwc_nchw", layoutDiff);
            out.add(m);
            Progress.log(m);
            fast.close();
            plain.close();
            nchw.close();
        }
        return out;
    }
}
