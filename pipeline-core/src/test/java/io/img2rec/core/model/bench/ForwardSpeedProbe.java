package io.img2rec.core.model.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.img2rec.core.model.Architecture;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.model.ParameterTransfer;
import io.img2rec.core.nativeio.OneDnnStatus;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward (inference) images per second at batch 16 with random weights, for each backbone in four variants
 * (oneDNN helpers on/off × NHWC/NCHW). Variants are measured interleaved, round by round, in one JVM so that load
 * from other processes hits them alike; the median of the rounds is reported. It also checks that each result is
 * real: output shape [16, 1] and helper-on output equal to helper-off output (same weights, same input).
 *
 * <p>Arguments: {@code [rounds=3] [backbones=VGG16,RESNET50]}. Run with the same JVM settings as the entry points
 * ({@code -Dorg.eclipse.deeplearning4j.helpers.disable=false}, {@code OPENBLAS_CORETYPE} matching the CPU).
 */
public final class ForwardSpeedProbe {

    private static final int BATCH = 16;

    private ForwardSpeedProbe() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Backbone> backbones = args.length > 1
                ? Arrays.stream(args[1].split(",")).map(Backbone::valueOf).toList()
                : List.of(Backbone.VGG16, Backbone.RESNET50);
        System.out.println(OneDnnStatus.current().summary());
        for (Backbone backbone : backbones) {
            probe(backbone, rounds);
        }
    }

    private record Variant(String name, CNN2DFormat format, boolean helpers, ComputationGraph graph, INDArray input) {
    }

    private static void probe(Backbone backbone, int rounds) {
        Architecture arch = backbone.architecture();
        int size = backbone.defaultInputSize();
        Nd4j.getRandom().setSeed(1);
        INDArray nhwc = Nd4j.rand(DataType.FLOAT, BATCH, size, size, 3).muli(2).subi(1);
        INDArray nchw = nhwc.permute(0, 3, 1, 2).dup();
        List<Variant> variants = new ArrayList<>();
        for (CNN2DFormat format : List.of(CNN2DFormat.NHWC, CNN2DFormat.NCHW)) {
            for (boolean helpers : List.of(true, false)) {
                ComputationGraph graph = withHelpers(helpers,
                        () -> arch.create(new ArchitectureOptions(size, format, 7), 1));
                if (!variants.isEmpty()) {
                    ParameterTransfer.copyParams(variants.get(0).graph(), graph);
                }
                variants.add(new Variant(format + (helpers ? " helpers on" : " helpers off"), format, helpers, graph,
                        format == CNN2DFormat.NHWC ? nhwc : nchw));
            }
        }
        Map<String, INDArray> outputs = new LinkedHashMap<>();
        for (Variant v : variants) { // warm-up, and the outputs to compare
            outputs.put(v.name(), v.graph().outputSingle(false, v.input()).dup());
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Variant v : variants) {
                long t0 = System.nanoTime();
                v.graph().outputSingle(false, v.input());
                double seconds = (System.nanoTime() - t0) / 1e9;
                rates.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(BATCH / seconds);
            }
        }
        for (Variant v : variants) {
            INDArray out = outputs.get(v.name());
            String twin = v.format() + (v.helpers() ? " helpers off" : " helpers on");
            double diff = out.sub(outputs.get(twin)).amaxNumber().doubleValue();
            List<Double> r = rates.get(v.name());
            System.out.printf("%s@%d %-18s median %6.2f img/s  rounds %s  out %s  |on-off| %.2g%n",
                    backbone, size, v.name(), median(r), format(r), Arrays.toString(out.shape()), diff);
        }
        variants.forEach(v -> v.graph().close());
    }

    private static ComputationGraph withHelpers(boolean helpers, java.util.function.Supplier<ComputationGraph> make) {
        String key = OneDnnStatus.HELPERS_DISABLE_PROPERTY;
        String before = System.getProperty(key);
        System.setProperty(key, String.valueOf(!helpers));
        try {
            return make.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }
}
