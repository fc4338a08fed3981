package io.img2rec.bench;

import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.model.ArchitectureOptions;
import io.img2rec.core.model.Backbone;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The networks and inputs the benchmark times: our own VGG16/ResNet50 builders with the default top, random weights. */
final class BenchModels {
    static final long SEED = 42;

    private BenchModels() {
    }

    /** The layout the training and serving cases run in: what the configs train in ({@code ModelConfig.defaults}). */
    static CNN2DFormat trainingLayout(Backbone backbone) {
        return ModelConfig.defaults(backbone).dataFormat().cnn2dFormat();
    }

    static int inputSize(Backbone backbone, BenchSize size) {
        return switch (backbone) {
            case RESNET50 -> size.resnetInput();
            case VGG16 -> size.vggInput();
            case TINY_CNN -> backbone.defaultInputSize();
        };
    }

    static ArchitectureOptions options(Backbone backbone, BenchSize size, CNN2DFormat format) {
        return new ArchitectureOptions(inputSize(backbone, size), format, SEED);
    }

    /** Base + default top (one sigmoid output), initialised; the workspace mode replaces the builders' ENABLED. */
    static ComputationGraph full(Backbone backbone, BenchSize size, CNN2DFormat format, WorkspaceMode workspaces) {
        ComputationGraphConfiguration conf = backbone.architecture().configuration(options(backbone, size, format), 1);
        return init(conf, workspaces);
    }

    /** The convolutional base alone (output: its last feature map). */
    static ComputationGraph base(Backbone backbone, BenchSize size, CNN2DFormat format) {
        return init(backbone.architecture().baseConfiguration(options(backbone, size, format)), WorkspaceMode.ENABLED);
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf, WorkspaceMode workspaces) {
        conf.setTrainingWorkspaceMode(workspaces);
        conf.setInferenceWorkspaceMode(workspaces);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Random pixels in [0, 1) laid out as {@code format} wants. */
    static INDArray images(int batch, int side, CNN2DFormat format, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long[] shape = format == CNN2DFormat.NHWC ? new long[] {batch, side, side, 3} : new long[] {batch, 3, side, side};
        return Nd4j.rand(DataType.FLOAT, shape);
    }

    /** Alternating 0/1 labels, [batch, 1]. */
    static INDArray labels(int batch) {
        float[][] rows = new float[batch][1];
        for (int i = 0; i < batch; i++) {
            rows[i][0] = i % 2;
        }
        return Nd4j.create(rows);
    }
}
