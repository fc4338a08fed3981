package io.img2rec.core.model;

import java.util.Objects;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A DL4J graph under construction with the layout, initialisation and layer vocabulary of this project:
 * every spatial layer gets the same {@link CNN2DFormat}, weights are glorot uniform (Keras' default for Conv2D and
 * Dense), biases zero, float32, workspaces enabled. Architectures add layers through it so that no layer forgets
 * the data format (a mixed-layout graph makes oneDNN reorder around every layer).
 */
public final class GraphAssembly {

    /** Names of the top's vertices (the head the original project trained in phase 1). */
    public static final String TOP_POOL = "top_pool";
    public static final String TOP_DENSE = "top_dense";
    public static final String TOP_DROPOUT = "top_dropout";
    public static final String TOP_OUTPUT = "top_output";

    private final ComputationGraphConfiguration.GraphBuilder builder;
    private final CNN2DFormat format;

    private GraphAssembly(ComputationGraphConfiguration.GraphBuilder builder, CNN2DFormat format) {
        this.builder = builder;
        this.format = format;
    }

    static GraphAssembly start(ArchitectureOptions options) {
        Objects.requireNonNull(options, "options");
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(options.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .biasInit(0.0)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(Architecture.INPUT)
                .setInputTypes(InputType.convolutional(options.inputSize(), options.inputSize(), 3, options.format()));
        return new GraphAssembly(b, options.format());
    }

    ComputationGraphConfiguration finish(String output) {
        return builder.setOutputs(output).build();
    }

    /** @return the layout every spatial layer of this graph uses */
    public CNN2DFormat format() {
        return format;
    }

    /** Square convolution, 'same' padding, with the given activation. */
    public String conv(String name, String input, int filters, int kernel, int stride, Activation activation) {
        builder.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .convolutionMode(ConvolutionMode.Same).activation(activation).dataFormat(format).build(), input);
        return name;
    }

    /** Square convolution with explicit symmetric zero padding ('valid' after Keras' ZeroPadding2D). */
    public String paddedConv(String name, String input, int filters, int kernel, int stride, int padding) {
        builder.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .nOut(filters).convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY)
                .dataFormat(format).build(), input);
        return name;
    }

    /** Batch normalisation over channels, storing the variance (not log-std) like Keras' moving_variance. */
    public String batchNorm(String name, String input, double epsilon, double momentum) {
        builder.addLayer(name, new BatchNormalization.Builder().eps(epsilon).decay(momentum).useLogStd(false)
                .dataFormat(format).activation(Activation.IDENTITY).build(), input);
        return name;
    }

    public String relu(String name, String input) {
        builder.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }

    /** Max pooling; {@code padding} > 0 pads symmetrically (inputs are post-ReLU, so zero and -inf padding agree). */
    public String maxPool(String name, String input, int kernel, int stride, int padding) {
        builder.addLayer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX,
                new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding})
                .convolutionMode(ConvolutionMode.Truncate).dataFormat(format).build(), input);
        return name;
    }

    public String add(String name, String... inputs) {
        builder.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
        return name;
    }

    /** Adds the top on the base's last feature map; returns the output vertex name. */
    String addTop(String base, TopSpec top) {
        String last = base;
        if (top.pooling() == TopSpec.Pooling.GLOBAL_AVERAGE) {
            int[] spatial = format == CNN2DFormat.NHWC ? new int[] {1, 2} : new int[] {2, 3};
            builder.addLayer(TOP_POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(spatial)
                    .collapseDimensions(true).build(), last);
            last = TOP_POOL;
        }
        // FLATTEN: DL4J inserts a CnnToFeedForwardPreProcessor (in this graph's layout) before the dense layer.
        if (top.hiddenUnits() > 0) {
            builder.addLayer(TOP_DENSE, new DenseLayer.Builder().nOut(top.hiddenUnits()).activation(Activation.RELU)
                    .build(), last);
            last = TOP_DENSE;
        }
        if (top.keepProbability() < 1.0) {
            builder.addLayer(TOP_DROPOUT, new DropoutLayer.Builder(top.keepProbability()).build(), last);
            last = TOP_DROPOUT;
        }
        OutputLayer.Builder out = top.output() == TopSpec.Output.SIGMOID_BINARY_XENT
                ? new OutputLayer.Builder(new LossBinaryXENT()).activation(Activation.SIGMOID)
                : new OutputLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX);
        builder.addLayer(TOP_OUTPUT, out.nOut(top.outputs()).build(), last);
        return TOP_OUTPUT;
    }
}
