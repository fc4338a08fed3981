package io.img2rec.serve.keras;

import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One model of the original Keras project: what it predicts and where its files are. The input size is read from the
 * model's input layer. The original's pre-processing follows from the architecture: VGG16 RGB→BGR then ×1/255
 * ({@code bgr_rescale}), ResNet50 Keras "caffe" ({@code caffe}); images were loaded with Keras' nearest-neighbour
 * resize.
 *
 * @param label        the label its single sigmoid output stands for
 * @param architecture {@code vgg16} or {@code resnet50}
 * @param modelJson    the {@code model.to_json()} file
 * @param weights      the weights h5 ({@code save_weights}, or a {@code model.save} file)
 * @param threshold    decision threshold (0.5 as in the original)
 */
public record KerasModelSpec(String label, String architecture, Path modelJson, Path weights, double threshold) {
    public KerasModelSpec {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(modelJson, "modelJson");
        Objects.requireNonNull(weights, "weights");
        if (!"vgg16".equals(architecture) && !"resnet50".equals(architecture)) {
            throw new IllegalArgumentException("architecture of a Keras model must be vgg16 or resnet50, got '"
                    + architecture + "'");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
    }

    /** Parses {@code label:architecture:model.json:weights.h5}. */
    public static KerasModelSpec parse(String text) {
        String[] parts = text.split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected label:architecture:model.json:weights.h5, got '" + text + "'");
        }
        return new KerasModelSpec(parts[0], parts[1], Path.of(parts[2]), Path.of(parts[3]), 0.5);
    }

    public PixelPreprocessing preprocessing() {
        return architecture.equals("vgg16") ? PixelPreprocessing.BGR_RESCALE : PixelPreprocessing.CAFFE;
    }

    public ResizeInterpolation resize() {
        return ResizeInterpolation.NEAREST;
    }
}
